"""Reading a run folder: :func:`load_run` and the :class:`Run` it returns.

A ``Run`` never imports fastai or torch: a run written on a GPU box opens anywhere.

>>> run = load_run(run.path)                   # e.g. 'petlens-runs/20261128-101500-1a2b3c'
>>> actual, predicted, count = run.most_confused()[0]
>>> count >= 1 and actual != predicted
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from . import classification, embeddings_file, issue_cache, projection, saliency_checks_file, schema
from .embeddings_file import Embeddings
from .errors import PetLensError
from .fixes import Fixes
from .label_issues import LabelIssues
from .storage import read_json, read_npz, read_npz_headers, resolve_inside


@dataclass(frozen=True)
class LrFind:
    """One ``learn.lr_find()`` call: rates, raw and smoothed losses, fastai's suggestions."""

    lrs: np.ndarray
    losses: np.ndarray
    raw_losses: np.ndarray
    suggestions: dict
    points: dict = field(default_factory=dict)
    iter: int = 0
    frozen_idx: int = 0


@dataclass(frozen=True)
class Timeline:
    """Every training iteration of every fit, in order (``fine_tune`` = two phases).

    Per iteration: ``phase`` (index into ``Run.phases``), ``epoch``, ``batch``, ``loss``;
    ``lrs`` / ``moms`` are [iterations x parameter groups]; ``trainable`` is
    [iterations x layer groups]. ``epochs`` holds the per-epoch validation records and
    ``events`` the phase events (fit start / end, freeze, unfreeze).
    """

    phase: np.ndarray
    epoch: np.ndarray
    batch: np.ndarray
    loss: np.ndarray
    lrs: np.ndarray
    moms: np.ndarray
    trainable: np.ndarray
    epochs: list
    events: list

    def __len__(self) -> int:
        return len(self.loss)


@dataclass(frozen=True)
class Preds:
    """Validation predictions captured during one validation pass of training.

    ``probs`` holds every class probability [items x classes] (float16). With top-k storage
    (very many classes) ``probs`` is ``None`` and ``topk_probs`` / ``topk_classes`` hold the
    ``k`` largest per item, ``target_probs`` the actual class's; targets, decoded
    predictions and losses are exact in both modes.
    """

    targets: np.ndarray
    losses: np.ndarray
    decoded: np.ndarray
    items: np.ndarray
    phase: int
    epoch: int
    probs: np.ndarray | None = None
    topk_probs: np.ndarray | None = None
    topk_classes: np.ndarray | None = None
    target_probs: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.targets)

    @property
    def top_k(self) -> int | None:
        """How many probabilities per item were kept (``None``: all of them)."""
        return None if self.topk_probs is None else self.topk_probs.shape[1]

    def prob_actual(self) -> np.ndarray:
        """Probability given to each item's actual class (float32 [items])."""
        if self.probs is None:
            return self.target_probs.astype(np.float32)
        return self.probs[np.arange(len(self)), self.targets].astype(np.float32)

    def prob_pred(self) -> np.ndarray:
        """Probability given to each item's predicted class (float32 [items]; NaN where
        top-k storage did not keep it)."""
        if self.probs is None:
            kept = self.topk_classes == self.decoded[:, None]
            found = np.take_along_axis(self.topk_probs, kept.argmax(1)[:, None], 1)[:, 0]
            return np.where(kept.any(1), found.astype(np.float32), np.float32(np.nan))
        return self.probs[np.arange(len(self)), self.decoded].astype(np.float32)


@dataclass(frozen=True)
class SaliencyMap:
    """A stored saliency map: validation ``item``, ``method``, ``target`` (``'pred'`` or
    ``'actual'``), the class explained (``label``), the map (uint8 [h, w] over the whole
    image, thumbnail size) and the method's parameters (IG: ``n_steps`` and ``delta`` too)."""

    item: str
    method: str
    target: str
    label: int
    map: np.ndarray
    params: dict
    n_steps: int | None = None
    delta: float | None = None


def _check_arrays(arrays: dict, spec: dict, what: str) -> int:
    """Check kinds and ranks of ``arrays`` and that they share a first dimension."""
    schema.check_kinds(arrays, spec, what)
    length = None
    for key in spec:
        arr = arrays[key]
        if length is None:
            length = arr.shape[0]
        elif arr.shape[0] != length:
            raise PetLensError(
                f"{what}: array {key!r} has {arr.shape[0]} rows, others have {length}"
            )
    return length or 0


class Run:
    """A validated run folder. Use :func:`load_run` to open one."""

    def __init__(self, path: Path, manifest: dict):
        self.path = Path(path)
        self.manifest = manifest

    # -- summary -----------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.manifest["id"]

    @property
    def complete(self) -> bool:
        """False while a fit is running or when the last fit was interrupted or cancelled."""
        return self.manifest["complete"]

    @property
    def vocab(self) -> list[str]:
        return self.manifest["data"]["vocab"]

    @property
    def phases(self) -> list[dict]:
        """Every training ``fit`` of the session (``fine_tune`` makes two), with its status."""
        return self.manifest["phases"]

    @property
    def layer_groups(self) -> list[dict]:
        return self.manifest["model"]["layer_groups"]

    def __repr__(self) -> str:
        state = "complete" if self.complete else "partial"
        return (
            f"<petlens.Run {self.id!r} ({state}): {len(self.phases)} fit(s), {len(self.lr_finds)} "
            f"lr_find(s), {len(self.vocab)} classes, at {str(self.path)!r}>"
        )

    # -- artefacts ----------------------------------------------------------------
    def _artefact(self, key: str) -> Path | None:
        relative = self.manifest["artefacts"].get(key)
        return None if relative is None else resolve_inside(self.path, relative, what=key)

    @cached_property
    def lr_finds(self) -> list[LrFind]:
        """Every ``lr_find`` call of the session, in order."""
        path = self._artefact("lr_find")
        if path is None:
            return []
        doc = read_json(path, what=schema.LR_FIND)
        calls = schema.expect_list_of(doc, "calls", dict, schema.LR_FIND)
        result = []
        for i, call in enumerate(calls):
            where = f"{schema.LR_FIND}: calls[{i}]"
            arrays = {
                key: _float_array(schema.expect(call, key, list, where), where, key)
                for key in ("lrs", "losses", "raw_losses")
            }
            if not len(arrays["lrs"]) == len(arrays["losses"]) == len(arrays["raw_losses"]):
                raise PetLensError(f"{where}: lrs, losses and raw_losses differ in length")
            result.append(
                LrFind(
                    **arrays,
                    suggestions=schema.expect(call, "suggestions", dict, where),
                    points=schema.expect(call, "points", dict, where),
                    iter=schema.expect(call, "iter", int, where),
                    frozen_idx=schema.expect(call, "frozen_idx", int, where),
                )
            )
        return result

    @cached_property
    def timeline(self) -> Timeline:
        """Every training iteration across every fit of the session."""
        path = self._artefact("timeline")
        if path is None:
            arrays = {k: np.zeros((0,) * n, dtype=_kind_dtype(t)) for k, (t, n) in
                      schema.TIMELINE_ARRAYS.items()}
        else:
            arrays = read_npz(path, what=schema.TIMELINE)
            _check_arrays(arrays, schema.TIMELINE_ARRAYS, schema.TIMELINE)
            shapes = {arrays[k].shape[1] for k in ("lrs", "moms", "trainable")}
            if len(shapes) != 1:
                raise PetLensError(f"{schema.TIMELINE}: lrs, moms and trainable differ in width")
        return Timeline(
            **{key: arrays[key] for key in schema.TIMELINE_ARRAYS},
            epochs=self.manifest["epochs"],
            events=self.manifest["events"],
        )

    @property
    def pred_sets(self) -> list[dict]:
        """Which validation predictions were kept: one entry per (phase, epoch)."""
        return self.manifest["artefacts"]["preds"]

    def load_preds(self, index: int = -1) -> Preds:
        """Load one set of kept predictions (the latest by default)."""
        if not self.pred_sets:
            raise PetLensError(f"{self.path}: this run has no validation predictions yet")
        entry = self.pred_sets[index]
        path = resolve_inside(self.path, entry["file"], what="preds")
        arrays = read_npz(path, what=entry["file"])
        n_classes = self._check_preds(arrays, entry["file"])
        for key in ("targets", "decoded", "topk_classes"):
            values = arrays.get(key)
            if values is not None and values.size and (
                    values.min() < 0 or values.max() >= n_classes):
                raise PetLensError(f"{entry['file']}: {key} outside 0..{n_classes - 1}")
        known = {**schema.PREDS_ARRAYS, **schema.FULL_PROBS_ARRAYS, **schema.TOPK_PROBS_ARRAYS}
        return Preds(**{key: arrays[key] for key in known if key in arrays},
                     phase=entry["phase"], epoch=entry["epoch"])

    def _check_preds(self, arrays: dict, what: str) -> int:
        """Kinds, shapes and width of a preds file (arrays or their headers); returns the
        number of classes."""
        if ("probs" in arrays) == ("topk_probs" in arrays):
            raise PetLensError(f"{what}: expected either 'probs' or 'topk_probs' (with "
                               "'topk_classes' and 'target_probs'), not both or neither")
        length = _check_arrays(arrays, schema.PREDS_ARRAYS, what)
        probs = schema.FULL_PROBS_ARRAYS if "probs" in arrays else schema.TOPK_PROBS_ARRAYS
        if _check_arrays(arrays, probs, what) != length:
            raise PetLensError(f"{what}: probabilities and targets differ in length")
        n_classes = len(self.vocab)
        if "probs" in arrays:
            if n_classes and arrays["probs"].shape[1] != n_classes:
                raise PetLensError(
                    f"{what}: probs has {arrays['probs'].shape[1]} columns but the vocab has "
                    f"{n_classes} classes")
            return n_classes or arrays["probs"].shape[1]
        k = arrays["topk_probs"].shape[1]
        if arrays["topk_classes"].shape[1] != k or not 1 <= k <= n_classes:
            raise PetLensError(f"{what}: topk_probs and topk_classes must both have k columns, "
                               f"1 <= k <= {n_classes} classes")
        return n_classes

    @cached_property
    def preds(self) -> Preds | None:
        """The latest kept validation predictions, or ``None`` before the first epoch ends."""
        return self.load_preds() if self.pred_sets else None

    @property
    def preds_skipped(self) -> str | None:
        """Why this run has no validation predictions (multi-label or regression targets,
        an empty validation set...), or ``None``: the views show it in place of a confusion
        matrix and top losses."""
        return self.manifest["artefacts"].get("preds_skipped")

    @property
    def saliency_info(self) -> dict | None:
        """How the stored saliency was made: ``methods``, ``available`` (all the learner
        could run), ``params`` per method, ``top_k``, ``phase``; ``None`` if none stored."""
        return self.manifest["artefacts"].get("saliency")

    @cached_property
    def saliency(self) -> list[SaliencyMap]:
        """The stored saliency maps (top losses after the latest finished fit)."""
        info = self.saliency_info
        if info is None:
            return []
        path = resolve_inside(self.path, info["file"], what="saliency")
        arrays = read_npz(path, what=info["file"])
        _check_saliency(arrays, info["file"], len(self.vocab))
        rows = []
        for i, (h, w) in enumerate(arrays["shapes"].tolist()):
            method, steps, delta = str(arrays["method"][i]), int(arrays["n_steps"][i]), float(
                arrays["delta"][i])
            rows.append(SaliencyMap(
                item=str(arrays["items"][i]), method=method, target=str(arrays["target"][i]),
                label=int(arrays["label"][i]), map=arrays["maps"][i, :h, :w],
                params=info["params"].get(method, {}), n_steps=steps or None,
                delta=None if np.isnan(delta) else delta))
        return rows

    @cached_property
    def saliency_checks(self):
        """The trust checks of the stored saliency maps (``saliency_checks.npz``; a
        :class:`petlens.saliency_checks_file.SaliencyChecks`: ``status``, ``rows()``,
        ``summary()``), or ``None`` for a run without them."""
        return saliency_checks_file.load(self)

    def thumbnail(self, item: str) -> Path | None:
        """Path of the stored thumbnail of validation item ``item`` (a relative item id)."""
        relative = self.manifest["artefacts"]["thumbs"]["items"].get(item)
        return None if relative is None else resolve_inside(self.path, relative, what="thumbs")

    @property
    def detail_images(self) -> dict[str, Path]:
        """``{item: path}`` of the detail images (JPEG, the size of the stored saliency maps)
        of the explained top losses; empty for runs without them."""
        details = self.manifest["artefacts"].get("details") or {"items": {}}
        return {item: resolve_inside(self.path, relative, what=f"detail image of {item!r}")
                for item, relative in details["items"].items()}

    # -- views --------------------------------------------------------------------
    def _require_preds(self) -> Preds:
        if self.preds is None:
            if self.preds_skipped:
                raise PetLensError(f"{self.path}: no confusion matrix or top losses for this "
                                   f"run: predictions were not recorded: {self.preds_skipped}")
            raise PetLensError(f"{self.path}: this run has no validation predictions yet")
        return self.preds

    def confusion_matrix(self, normalize: str | None = None) -> np.ndarray:
        """Actual x predicted counts (or shares with ``normalize='true'|'pred'``)."""
        preds = self._require_preds()
        return classification.confusion_matrix(
            preds.targets, preds.decoded, len(self.vocab), normalize=normalize
        )

    def most_confused(self, min_val: int = 1) -> list[tuple[str, str, int]]:
        """``(actual, predicted, count)`` pairs, most frequent first, as fastai returns them."""
        return classification.most_confused(self.confusion_matrix(), self.vocab, min_val=min_val)

    def per_class_metrics(self) -> dict:
        """Precision, recall, F1 and support per class (arrays in vocab order) and the
        ``summary`` (accuracy, macro and weighted averages), as fastai's
        ``interp.print_classification_report()`` (scikit-learn) computes them."""
        preds = self._require_preds()
        return classification.per_class_metrics(preds.targets, preds.decoded, len(self.vocab))

    def top_losses(self, k: int | None = None, largest: bool = True):
        """``(losses, indices)`` of the ``k`` largest validation losses, like fastai's."""
        return classification.top_losses(self._require_preds().losses, k, largest=largest)

    def export_html(self, path=None, *, max_mb: float | None = None, wait: bool = True):
        """Write the self-contained HTML report (default ``<run>/report.html``); returns its
        path. Above ``max_mb`` it leaves out detail images, then thumbnails (lowest losses
        first), and says so. In the process that trains, saliency maps still being computed
        are waited for, unless ``wait=False`` (the report then says which are missing)."""
        from .report import DEFAULT_MAX_MB, export_html  # sugar pointing up: lazy

        return export_html(self, path, max_mb=DEFAULT_MAX_MB if max_mb is None else max_mb,
                           wait=wait)

    def show(self):
        """The linked dashboard of this run (a Jupyter widget)."""
        from .widgets.dashboard import Dashboard  # sugar pointing up: lazy

        return Dashboard.from_run(self)

    @cached_property
    def label_issues(self) -> LabelIssues:
        """cleanlab's label quality, issue flags, per-class counts and overlapping class pairs
        of the latest predictions (``petlens.label_issues``), cached in ``label_issues.npz``
        at the first call (``.note`` says when the folder is read-only: computed in memory)."""
        return issue_cache.label_issues_for(self)

    @property
    def embeddings_info(self) -> dict | None:
        """How the stored embeddings were recorded (``artefacts.embeddings``: ``source``,
        ``phase``, ``n_items``, ``n_features``, ``layer``, ``n_train``...), or ``None``."""
        return self.manifest["artefacts"].get("embeddings")

    @property
    def embeddings_skipped(self) -> str | None:
        """Why this run has no embeddings although they were asked for (``None``: it has
        some, or they were not asked for)."""
        return self.manifest["artefacts"].get("embeddings_skipped")

    @cached_property
    def embeddings(self) -> Embeddings | None:
        """The penultimate features of the latest validation pass (float16, in the
        predictions' item order) and, with ``PetLens(embeddings='valid+train')``, of the
        training items; ``None`` for a run recorded without them."""
        entry = self.embeddings_info
        if entry is None:
            return None
        path = resolve_inside(self.path, entry["file"], what="embeddings")
        thumbs = {item: resolve_inside(self.path, rel, what=f"thumbnail of {item!r}")
                  for item, rel in (entry.get("train_thumbs") or {}).items()}
        return embeddings_file.read_embeddings(
            path, entry, n_classes=len(self.vocab),
            preds_items=None if self.preds is None else self.preds.items, thumbs=thumbs)

    def projection(self, **params) -> projection.Projection | None:
        """The 2-D UMAP map of the validation features and each item's nearest training
        (or validation) items, computed at the first call and cached in ``projection.npz``
        (``petlens.projection``; ``params``: ``pca_dims``, ``n_neighbors``, ``min_dist``,
        ``seed``, ``k``, ``write``; ``compute=False``: the cache or ``None``)."""
        return projection.projection_for(self, **params)

    @property
    def fixes(self) -> Fixes:
        """The fix queue (``fixes.json``): list, ``set``, export, import, ``apply``, ``undo``."""
        return Fixes(self)

    @property
    def error_rate(self) -> float | None:
        """Share of wrongly predicted validation items in the latest kept predictions."""
        if self.preds is None or not len(self.preds):
            return None
        return float(np.mean(self.preds.decoded != self.preds.targets))


def _float_array(values: list, where: str, key: str) -> np.ndarray:
    try:
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    except (TypeError, ValueError):
        raise PetLensError(f"{where}: {key!r} must be a list of numbers") from None


def _check_saliency(arrays: dict, what: str, n_classes: int) -> None:
    """Kinds, shapes and values of ``saliency.npz`` (see ``petlens.saliency.record``)."""
    _check_arrays(arrays, schema.SALIENCY_ARRAYS, what)
    maps, shapes = arrays["maps"], arrays["shapes"]
    if maps.dtype != np.uint8:
        raise PetLensError(f"{what}: maps must be uint8, found {maps.dtype}")
    if shapes.shape[1] != 2 or (len(shapes) and (
            shapes.min() < 1 or (shapes > np.array(maps.shape[1:])).any())):
        raise PetLensError(f"{what}: shapes must be (h, w) pairs within the maps' "
                           f"{maps.shape[1:]} size")
    for key, allowed in (("method", schema.SALIENCY_METHODS),
                         ("target", schema.SALIENCY_TARGETS)):
        unknown = set(arrays[key].tolist()) - set(allowed)
        if unknown:
            raise PetLensError(f"{what}: unknown {key} {sorted(unknown)}; expected {allowed}")
    labels = arrays["label"]
    if len(labels) and n_classes and (labels.min() < 0 or labels.max() >= n_classes):
        raise PetLensError(f"{what}: label outside 0..{n_classes - 1}")


def _kind_dtype(kind: str):
    return {"i": np.int32, "f": np.float32, "b": bool, "U": str}[kind]


def load_run(path) -> Run:
    """Open and validate a run folder; :class:`PetLensError` says which file is wrong.

    Every artefact named by the manifest is checked (paths stay inside the folder, arrays
    have the right kinds and shapes, nothing pickled) before the run is returned.
    """
    path = Path(path)
    if not path.is_dir():
        raise PetLensError(f"{path}: not a run folder (it does not exist or is not a folder)")
    manifest = read_json(path / schema.MANIFEST, what=f"{path.name}/{schema.MANIFEST}")
    schema.validate_manifest(manifest)
    run = Run(path, manifest)
    run.lr_finds, run.timeline, run.preds, run.saliency  # noqa: B018 -- validate eagerly
    run.saliency_checks  # noqa: B018 -- validated eagerly too
    for entry in run.pred_sets:
        preds_path = resolve_inside(path, entry["file"], what="preds")
        run._check_preds(read_npz_headers(preds_path, what=entry["file"]), entry["file"])
    for item, relative in manifest["artefacts"]["thumbs"]["items"].items():
        thumb = resolve_inside(path, relative, what=f"thumbnail of {item!r}")
        if not thumb.is_file():
            raise PetLensError(f"thumbs: thumbnail {relative!r} of {item!r} is missing")
    for item, detail in run.detail_images.items():
        if not detail.is_file():
            raise PetLensError(f"details: detail image {detail.name!r} of {item!r} is missing")
    if (path / schema.LABEL_ISSUES_FILE).exists():  # a cache: headers here, arrays when read
        issue_cache.check_headers(path / schema.LABEL_ISSUES_FILE)
    if run.embeddings_info is not None:  # headers here, arrays when read
        entry = run.embeddings_info
        embeddings_file.check_headers(resolve_inside(path, entry["file"], what="embeddings"),
                                      entry)
        for item, relative in (entry.get("train_thumbs") or {}).items():
            if not resolve_inside(path, relative, what=f"thumbnail of {item!r}").is_file():
                raise PetLensError(f"embeddings: thumbnail {relative!r} of training item "
                                   f"{item!r} is missing")
    if (path / schema.PROJECTION_FILE).exists():
        projection.check_headers(path / schema.PROJECTION_FILE)
    if run.preds is not None and (path / schema.FIXES_FILE).exists():
        run.fixes.list()  # validate the decisions eagerly
    return run
