"""A run folder at any scale (e.g. 1000 classes x 50,000 items) without training, written
with the same artefact contract and writer as PetLens: for trying the views at chapter 5's
scale (the 37 Oxford-IIIT Pets breeds) and beyond, in tests, benchmarks and screenshots.

>>> from petlens import load_run
>>> run = load_run(write_run(tmp, n_classes=37, n_items=1_480))
>>> len(run.vocab), run.vocab[:2], len(run.preds)
(37, ['Abyssinian', 'Bengal'], 1480)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import schema
from ..model_info import versions
from ..neighbours import nearest
from ..recorders.thumbs import explained_items, select_items, thumbnail_name, write_thumbnail
from ..run_folder import RunFolder, now_iso
from ..storage import atomic_write_npz
from .synthetic import BREEDS, choose_breeds


def confused_predictions(n_classes: int, n_items: int, *, accuracy=0.85, seed=0,
                         prediction_seed=None):
    """Targets, decoded predictions and float16 probabilities with structured confusion:
    each class is mostly confused with two 'neighbour' classes. ``prediction_seed`` (else
    ``seed``) draws the predictions: another model on the same items and labels."""
    rng = np.random.default_rng(seed)
    targets = rng.integers(0, n_classes, n_items)
    if prediction_seed is not None:
        rng = np.random.default_rng([seed, prediction_seed])
    wrong = rng.random(n_items) > accuracy
    neighbour = (targets + rng.choice([1, 2, -1], n_items)) % n_classes
    decoded = np.where(wrong, neighbour, targets)
    logits = rng.normal(0, 1, (n_items, n_classes)).astype(np.float32)
    logits[np.arange(n_items), decoded] += 4
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    return targets, decoded, probs.astype(np.float16)


def scale_vocab(n_classes: int) -> list[str]:
    """Class names: Oxford-IIIT Pets breeds (``choose_breeds``) up to 37 classes,
    ``class_0000``... above."""
    if n_classes <= len(BREEDS):
        return choose_breeds(n_classes)
    return [f"class_{i:04d}" for i in range(n_classes)]


def write_run(root: Path, *, n_classes: int, n_items: int, images: Path | None = None,
              n_iter: int = 600, vocab: list[str] | None = None, accuracy: float = 0.85,
              prediction_seed: int | None = None, top_k: int | None = None,
              embeddings: int | None = None, n_train: int = 0) -> Path:
    """Write a complete run folder of ``n_classes`` (names: ``vocab`` or
    :func:`scale_vocab`); thumbnails come from ``images`` (cycled) if given.
    ``accuracy`` and ``prediction_seed`` make another model's predictions of the same items
    and labels (:func:`confused_predictions`); ``top_k`` stores the ``k`` largest
    probabilities per item, as PetLens does above 200 classes, instead of all of them.
    ``embeddings``: store that many features per item (``embeddings.npz``, clustered by
    class, the mistakes between their two classes), and ``n_train`` training items too."""
    folder = RunFolder(root)
    vocab = list(vocab) if vocab is not None else scale_vocab(n_classes)
    targets, decoded, probs = confused_predictions(n_classes, n_items, accuracy=accuracy,
                                                   prediction_seed=prediction_seed)
    rows = np.arange(n_items)
    losses = -np.log(probs[rows, targets].astype(np.float32) + 1e-6)
    items = np.array([f"item_{i:06d}.jpg" for i in range(n_items)])
    if top_k is None:
        stored = {"probs": probs}
    else:
        classes = np.argpartition(-probs, top_k - 1, axis=1)[:, :top_k]
        stored = {"topk_probs": np.take_along_axis(probs, classes, 1),
                  "topk_classes": classes.astype(np.int16 if n_classes < 2**15 else np.int32),
                  "target_probs": probs[rows, targets]}
    preds_file = folder.write_preds(1, None, {
        **stored, "targets": targets.astype(np.int32), "losses": losses,
        "decoded": decoded.astype(np.int32), "items": items})
    thumbs = {}
    if images is not None:
        sources = sorted(images.glob("*.jpg"))
        for i in select_items(targets, decoded, losses):
            dest, relative = folder.thumb_path(thumbnail_name(items[i]))
            if write_thumbnail(sources[i % len(sources)], dest, 128):
                thumbs[str(items[i])] = relative
    half = n_iter // 2
    lrs = np.geomspace(1e-5, 1e-3, n_iter, dtype=np.float32)[:, None] * [0.01, 0.1, 1]
    folder.write_timeline({
        "phase": np.repeat([0, 1], [half, n_iter - half]).astype(np.int32),
        "epoch": np.zeros(n_iter, np.int32), "batch": np.arange(n_iter, dtype=np.int32),
        "loss": np.linspace(3, 0.5, n_iter, dtype=np.float32), "lrs": lrs.astype(np.float32),
        "moms": np.full((n_iter, 3), 0.9, np.float32),
        "trainable": np.arange(3)[None, :] >= np.repeat([2, 0], [half, n_iter - half])[:, None],
    })
    groups = [{"name": n, "modules": [], "n_params": p}
              for n, p in (("body[0:6]", 683_072), ("body[6:8]", 10_493_440), ("head", 529_408))]
    phases = [{"phase": i, "n_epoch": 1, "status": "finished", "started": now_iso(),
               "ended": now_iso(), "first_iter": i * half, "n_iter": half, "frozen_idx": f}
              for i, f in ((0, 2), (1, 0))]
    folder.write_manifest({
        "schema": schema.SCHEMA, "id": folder.id, "name": None, "created": now_iso(),
        "updated": now_iso(), "revision": 1, "complete": True, "versions": versions(),
        "device": "cpu", "mixed_precision": False,
        "model": {"arch": "resnet34", "n_params": 11_705_920, "n_trainable": 11_705_920,
                  "layer_groups": groups},
        "data": {"vocab": vocab, "n_train": 4 * n_items, "n_valid": n_items,
                 "batch_size": 64, "item_root": None},
        "phases": phases,
        "epochs": [{"phase": i, "epoch": 0, "iter": (i + 1) * half, "train_loss": 1.0,
                    "valid_loss": 0.9, "error_rate": float(np.mean(targets != decoded))}
                   for i in (0, 1)],
        "events": [{"kind": "unfreeze", "iter": half, "frozen_idx": 0}],
        "artefacts": {**_embeddings(folder, embeddings, n_train, targets, decoded, items,
                                    images, len(vocab), losses),
                      "timeline": schema.TIMELINE, "lr_find": None,
                      "preds": [{"file": preds_file, "phase": 1, "epoch": 0, "iter": n_iter,
                                 "error_rate": float(np.mean(targets != decoded)),
                                 "top_k": top_k}],
                      "thumbs": {"size": 128, "items": thumbs}},
    })
    return folder.path


def synthetic_features(labels, n_features: int, *, other=None, seed: int = 0, n_classes=None):
    """float16 features clustered by class (``other``: a second class each item leans to,
    half way, as a mistake between two classes looks)."""
    rng = np.random.default_rng(seed)
    n_classes = int(n_classes or (max(labels.max(), 0) + 1))
    centers = np.random.default_rng(12345).normal(0, 0.5, (n_classes, n_features))
    features = centers[labels] + rng.normal(0, 1.0, (len(labels), n_features))
    if other is not None:
        features += 0.5 * (centers[other] - centers[labels])
    return np.maximum(features, 0).astype(np.float16)  # after a ReLU, as a head's are


def _embeddings(folder, n_features, n_train, targets, decoded, items, images, n_classes,
                losses):
    """``artefacts.embeddings`` of :func:`write_run` (and its file), or nothing."""
    if not n_features:
        return {}
    arrays = {"items": items, "features": synthetic_features(targets, n_features,
                                                             other=decoded, n_classes=n_classes)}
    thumbs = {}
    if n_train:
        labels = np.random.default_rng(1).integers(0, n_classes, n_train).astype(np.int32)
        train_items = np.array([f"train/item_{i:06d}.jpg" for i in range(n_train)])
        arrays.update(train_items=train_items, train_labels=labels,
                      train_features=synthetic_features(labels, n_features, seed=1,
                                                        n_classes=n_classes))
        if images is not None:  # as PetLens: the explained errors' nearest training items
            sources = sorted(images.glob("*.jpg"))
            top = explained_items(targets, decoded, losses)
            index, _ = nearest(arrays["features"][top], arrays["train_features"], 8)
            for i in np.unique(index[index >= 0]):
                dest, relative = folder.thumb_path(thumbnail_name(f"train/{train_items[i]}"))
                if write_thumbnail(sources[i % len(sources)], dest, 128):
                    thumbs[str(train_items[i])] = relative
    atomic_write_npz(folder.path / schema.EMBEDDINGS_FILE, arrays)
    return {"embeddings": {
        "file": schema.EMBEDDINGS_FILE, "source": "valid+train" if n_train else "valid",
        "phase": 1, "epoch": 0, "n_items": len(items), "n_features": int(n_features),
        "layer": "1.8", "n_train": n_train or None, "train_phase": 1 if n_train else None,
        "train_thumbs": thumbs}}
