"""Reading ``embeddings.npz``: the recorded penultimate features of a run, validated.

The file holds ``schema.EMBEDDINGS_ARRAYS`` (the validation ``items`` in the predictions'
order and their ``features``, float16 [items x features]) and, for runs recorded with
``PetLens(embeddings='valid+train')``, ``schema.TRAIN_EMBEDDINGS_ARRAYS`` (the training
items, their features and labels). The manifest's ``artefacts.embeddings`` indexes it.
Any problem (a missing or extra array, a wrong kind or width, NaN, a length that does not
match the predictions, labels outside the vocab, a pickled array) raises
:class:`~petlens.errors.PetLensError` naming the file.

>>> from petlens import load_run
>>> from petlens.demo.scale_run import write_run
>>> run = load_run(write_run(tmp, n_classes=4, n_items=40, embeddings=16, n_train=60))
>>> emb = run.embeddings
>>> emb.features.dtype, emb.features.shape, len(emb.train_items), emb.source
(dtype('float16'), (40, 16), 60, 'valid+train')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import schema
from .errors import PetLensError
from .storage import read_npz, read_npz_headers

FEATURE_DTYPES = (np.dtype(np.float16), np.dtype(np.float32))  # written float16


@dataclass(frozen=True)
class Embeddings:
    """Penultimate features of the validation items (``features[i]`` belongs to
    ``items[i]``, the predictions' item ``i``) and, when recorded, of the training items."""

    items: np.ndarray
    features: np.ndarray
    phase: int
    source: str  # 'valid' or 'valid+train'
    layer: str | None = None  # the nn.Linear whose input they are
    train_items: np.ndarray | None = None
    train_features: np.ndarray | None = None
    train_labels: np.ndarray | None = None
    train_thumbs: dict = field(default_factory=dict)  # train item -> thumbnail path

    def __len__(self) -> int:
        return len(self.items)

    @property
    def n_features(self) -> int:
        return int(self.features.shape[1])

    @property
    def has_train(self) -> bool:
        return self.train_features is not None


def _check(arrays: dict, entry: dict, what: str) -> bool:
    """Kinds, ranks, widths and lengths of the arrays (or their headers); whether the
    training arrays are there."""
    has_train = any(key in arrays for key in schema.TRAIN_EMBEDDINGS_ARRAYS)
    spec = {**schema.EMBEDDINGS_ARRAYS, **(schema.TRAIN_EMBEDDINGS_ARRAYS if has_train else {})}
    schema.check_kinds(arrays, spec, what)
    for key in ("features", "train_features"):
        if key in spec and arrays[key].dtype not in FEATURE_DTYPES:
            raise PetLensError(f"{what}: array {key!r} has dtype {arrays[key].dtype}; expected "
                               "float16 (or float32)")
    n, width = arrays["features"].shape
    if arrays["items"].shape[0] != n:
        raise PetLensError(f"{what}: {arrays['items'].shape[0]} items but {n} feature rows")
    if n != entry["n_items"] or width != entry["n_features"]:
        raise PetLensError(f"{what}: features are {n} x {width}; the manifest says "
                           f"{entry['n_items']} x {entry['n_features']}")
    if width < 1:
        raise PetLensError(f"{what}: features have no columns")
    if has_train:
        lengths = {key: arrays[key].shape[0] for key in schema.TRAIN_EMBEDDINGS_ARRAYS}
        if len(set(lengths.values())) > 1:
            raise PetLensError(f"{what}: training arrays differ in length: {lengths}")
        if arrays["train_features"].shape[1] != width:
            raise PetLensError(f"{what}: train_features have {arrays['train_features'].shape[1]}"
                               f" columns, features {width}")
    return has_train


def check_headers(path: Path, entry: dict) -> None:
    """At ``load_run``: kinds, ranks, widths and lengths from the headers (no data read)."""
    _check(read_npz_headers(path, what=entry["file"]), entry, entry["file"])


def read_embeddings(path: Path, entry: dict, *, n_classes: int,
                    preds_items: np.ndarray | None, thumbs: dict | None = None) -> Embeddings:
    """Read and validate ``embeddings.npz`` (``entry``: the manifest's
    ``artefacts.embeddings``); the validation items must be the predictions' ``preds_items``
    in the same order; ``thumbs``: the training items' thumbnail paths, resolved."""
    what = entry["file"]
    arrays = read_npz(path, what=what)
    has_train = _check(arrays, entry, what)
    items = arrays["items"]
    if preds_items is not None and (len(items) != len(preds_items)
                                    or not np.array_equal(items, preds_items)):
        raise PetLensError(f"{what}: its {len(items)} items are not the latest predictions' "
                           f"{len(preds_items)} items in the same order (features of another "
                           "validation set?)")
    for key in ("features", "train_features"):
        if key in arrays and not np.isfinite(arrays[key]).all():
            raise PetLensError(f"{what}: {key} holds NaN or infinite values")
    train = {}
    if has_train:
        labels = arrays["train_labels"]
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise PetLensError(f"{what}: train_labels outside 0..{n_classes - 1}")
        train = {key: arrays[key] for key in schema.TRAIN_EMBEDDINGS_ARRAYS}
    return Embeddings(items=items, features=arrays["features"], phase=entry["phase"],
                      source=entry["source"], layer=entry.get("layer"),
                      train_thumbs=dict(thumbs or {}), **train)
