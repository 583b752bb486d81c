"""The artefact contract of a run folder: names, schema version and manifest validation."""

from __future__ import annotations

import re
from datetime import datetime

from .errors import PetLensError

SCHEMA_MAJOR = 1
SCHEMA = f"petlens.run/{SCHEMA_MAJOR}"
MANIFEST = "manifest.json"
TIMELINE = "timeline.npz"
LR_FIND = "lr_find.json"
PREDS_DIR = "preds"
THUMBS_DIR = "thumbs"
DETAILS_DIR = "details"  # detail images of the explained top losses
SALIENCY_FILE = "saliency.npz"
SALIENCY_METHODS = ("integrated_gradients", "saliency", "gradcam", "occlusion", "noise_tunnel")
SALIENCY_TARGETS = ("pred", "actual")
# artefacts.saliency.status: the maps of its phase are all stored, being computed in the
# background (or the process ended first), stopped by a later fit, or failed
SALIENCY_STATUSES = ("complete", "pending", "cancelled", "failed")

PHASE_STATUSES = ("running", "finished", "cancelled", "interrupted")

# The arrays of each .npz artefact: name -> (numpy dtype kind, number of dimensions).
# A preds file holds PREDS_ARRAYS and either FULL_PROBS_ARRAYS or TOPK_PROBS_ARRAYS.
TIMELINE_ARRAYS = {
    "phase": ("i", 1),
    "epoch": ("i", 1),
    "batch": ("i", 1),
    "loss": ("f", 1),
    "lrs": ("f", 2),
    "moms": ("f", 2),
    "trainable": ("b", 2),
}
PREDS_ARRAYS = {
    "targets": ("i", 1),
    "losses": ("f", 1),
    "decoded": ("i", 1),
    "items": ("U", 1),
}
FULL_PROBS_ARRAYS = {"probs": ("f", 2)}
TOPK_PROBS_ARRAYS = {"topk_probs": ("f", 2), "topk_classes": ("i", 2), "target_probs": ("f", 1)}
SALIENCY_ARRAYS = {
    "items": ("U", 1),
    "method": ("U", 1),
    "target": ("U", 1),
    "label": ("i", 1),
    "maps": ("u", 3),
    "shapes": ("i", 2),
    "n_steps": ("i", 1),
    "delta": ("f", 1),
}
# label_issues.npz (a cache written at the first read that asks for it: petlens.issue_cache):
# these arrays plus "meta", one string holding a JSON object. Arrays of one group share a
# length: items, classes, overlapping pairs.
LABEL_ISSUES_FILE = "label_issues.npz"
LABEL_ISSUES_ARRAYS = {
    "items": ("U", 1),
    "scores": ("f", 1),
    "flags": ("b", 1),
    "given": ("i", 1),
    "suggested": ("i", 1),
    "class_issues": ("i", 1),
    "pairs": ("i", 2),
    "pair_joint": ("f", 1),
    "pair_count": ("i", 1),
}
LABEL_ISSUES_GROUPS = (("items", "scores", "flags", "given", "suggested"), ("class_issues",),
                       ("pairs", "pair_joint", "pair_count"))
# embeddings.npz: the penultimate features (the input of the model's last nn.Linear) of the
# validation items, in the predictions' order, float16; with PetLens(embeddings='valid+train')
# also those of the training items (one pass without augmentation at a fit's end), their ids
# and labels. Indexed by the manifest's artefacts.embeddings (artefacts.embeddings_skipped:
# why there are none).
EMBEDDINGS_FILE = "embeddings.npz"
EMBEDDINGS_ARRAYS = {"items": ("U", 1), "features": ("f", 2)}
TRAIN_EMBEDDINGS_ARRAYS = {"train_items": ("U", 1), "train_features": ("f", 2),
                           "train_labels": ("i", 1)}
# projection.npz (a cache written at the first read, like label_issues.npz: petlens.projection):
# the 2-D layout of the validation features and each item's nearest neighbours, plus "meta"
PROJECTION_FILE = "projection.npz"
PROJECTION_ARRAYS = {"xy": ("f", 2), "neighbour_index": ("i", 2),
                     "neighbour_distance": ("f", 2)}
EMBEDDING_SOURCES = ("valid", "valid+train")
# fixes.json: the user's decisions on validation items (petlens.decisions)
FIXES_FILE = "fixes.json"
FIXES_SCHEMA = "petlens.fixes/1"
FIX_ACTIONS = ("keep", "relabel", "delete", "unsure")


_SCHEMA_RE = re.compile(r"^petlens\.run/(\d+)(?:\.(\d+))?$")



def check_kinds(arrays, spec: dict, what: str) -> None:
    """Every array of ``spec`` (name -> (dtype kind, rank)) is in ``arrays`` (arrays or npz
    headers) with that kind (``'i'`` also takes unsigned) and rank, else ``PetLensError``
    naming ``what`` and the array.

    >>> import numpy as np
    >>> check_kinds({"x": np.zeros(3, np.uint8)}, {"x": ("i", 1)}, "f.npz")
    >>> check_kinds({"x": np.zeros(3)}, {"x": ("i", 1)}, "f.npz")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    petlens.errors.PetLensError: f.npz: array 'x' has dtype float64 ... of kind 'i'
    """
    for key, (kind, ndim) in spec.items():
        if key not in arrays:
            raise PetLensError(f"{what}: array {key!r} is missing")
        arr = arrays[key]
        if arr.dtype.kind not in (kind + "u" if kind == "i" else kind) or arr.ndim != ndim:
            raise PetLensError(f"{what}: array {key!r} has dtype {arr.dtype} and shape "
                               f"{arr.shape}; expected {ndim}-d of kind {kind!r}")

def check_schema(value, *, what: str = MANIFEST) -> None:
    """Accept ``petlens.run/1`` and newer minor versions; refuse other majors clearly."""
    match = _SCHEMA_RE.match(value) if isinstance(value, str) else None
    if match is None:
        raise PetLensError(f"{what}: 'schema' is {value!r}, not a petlens run schema")
    major = int(match.group(1))
    if major != SCHEMA_MAJOR:
        raise PetLensError(
            f"{what}: schema {value!r} has major version {major}; this petlens reads "
            f"version {SCHEMA_MAJOR} only (upgrade petlens to open newer runs)"
        )


def expect(container: dict, key: str, types, where: str, *, optional: bool = False):
    """Return ``container[key]`` if it has one of ``types``; else raise a clear error."""
    if not isinstance(container, dict):
        raise PetLensError(f"{where}: expected an object, found {type(container).__name__}")
    if key not in container:
        if optional:
            return None
        raise PetLensError(f"{where}: required field {key!r} is missing")
    value = container[key]
    if optional and value is None:
        return None
    if isinstance(value, bool) and bool not in _as_tuple(types):
        raise PetLensError(f"{where}: field {key!r} must be {_names(types)}, found bool")
    if not isinstance(value, types):
        raise PetLensError(
            f"{where}: field {key!r} must be {_names(types)}, found {type(value).__name__}"
        )
    return value


def expect_list_of(container: dict, key: str, item_types, where: str) -> list:
    """Return a list field whose every element has one of ``item_types``."""
    values = expect(container, key, list, where)
    for i, value in enumerate(values):
        if (isinstance(value, bool) and bool not in _as_tuple(item_types)) or not isinstance(
            value, item_types
        ):
            raise PetLensError(
                f"{where}: {key}[{i}] must be {_names(item_types)}, found {type(value).__name__}"
            )
    return values


def validate_manifest(manifest) -> None:
    """Check the structure and types of a manifest; raise :class:`PetLensError` if wrong."""
    where = MANIFEST
    if not isinstance(manifest, dict):
        raise PetLensError(f"{where}: top level must be an object")
    check_schema(manifest.get("schema"))
    expect(manifest, "id", str, where)
    expect(manifest, "created", str, where)
    expect(manifest, "complete", bool, where)
    model = expect(manifest, "model", dict, where)
    for i, group in enumerate(expect_list_of(model, "layer_groups", dict, f"{where}: model")):
        expect(group, "name", str, f"{where}: model.layer_groups[{i}]")
        expect(group, "n_params", int, f"{where}: model.layer_groups[{i}]")
    data = expect(manifest, "data", dict, where)
    expect_list_of(data, "vocab", str, f"{where}: data")
    expect(model, "arch", str, f"{where}: model", optional=True)
    expect(model, "n_params", int, f"{where}: model", optional=True)
    for key in ("n_train", "n_valid"):
        expect(data, key, int, f"{where}: data", optional=True)
    expect(manifest, "device", str, where, optional=True)
    for name, version in (expect(manifest, "versions", dict, where, optional=True) or {}).items():
        if not isinstance(version, str):
            raise PetLensError(f"{where}: versions[{name!r}] must be a string")
    for key in ("phases", "epochs", "events"):
        expect_list_of(manifest, key, dict, where)
    for i, phase in enumerate(manifest["phases"]):
        at = f"{where}: phases[{i}]"
        for key in ("phase", "n_epoch", "first_iter", "n_iter", "frozen_idx"):
            expect(phase, key, int, at)
        for key in ("started", "ended"):
            _expect_time(phase, key, at)
        if expect(phase, "status", str, at) not in PHASE_STATUSES:
            raise PetLensError(f"{where}: phases[{i}].status is not one of {PHASE_STATUSES}")
    for i, record in enumerate(manifest["epochs"]):
        at = f"{where}: epochs[{i}]"
        for key in ("phase", "epoch", "iter"):
            expect(record, key, int, at)
        for key, value in record.items():
            if value is not None and (isinstance(value, bool)
                                      or not isinstance(value, (int, float))):
                raise PetLensError(f"{at}: {key!r} must be a number or null")
    for i, event in enumerate(manifest["events"]):
        expect(event, "kind", str, f"{where}: events[{i}]")
        expect(event, "iter", int, f"{where}: events[{i}]")
    artefacts = expect(manifest, "artefacts", dict, where)
    expect(artefacts, "timeline", str, f"{where}: artefacts", optional=True)
    expect(artefacts, "lr_find", str, f"{where}: artefacts", optional=True)
    for i, entry in enumerate(expect_list_of(artefacts, "preds", dict, f"{where}: artefacts")):
        expect(entry, "file", str, f"{where}: artefacts.preds[{i}]")
        expect(entry, "phase", int, f"{where}: artefacts.preds[{i}]")
        expect(entry, "iter", int, f"{where}: artefacts.preds[{i}]")
        expect(entry, "error_rate", (int, float), f"{where}: artefacts.preds[{i}]",
               optional=True)
        expect(entry, "epoch", int, f"{where}: artefacts.preds[{i}]")
        expect(entry, "top_k", int, f"{where}: artefacts.preds[{i}]", optional=True)
    thumbs = expect(artefacts, "thumbs", dict, f"{where}: artefacts")
    expect(thumbs, "size", int, f"{where}: artefacts.thumbs")
    items = expect(thumbs, "items", dict, f"{where}: artefacts.thumbs")
    for item, file in items.items():
        if not isinstance(file, str):
            raise PetLensError(f"{where}: artefacts.thumbs.items[{item!r}] must be a string path")
    _validate_preds_skipped(artefacts, f"{where}: artefacts")
    earlier = expect(manifest, "earlier_training", dict, where, optional=True)
    if earlier is not None:
        expect(earlier, "iterations", int, f"{where}: earlier_training")
        expect(earlier, "epochs", (int, float), f"{where}: earlier_training", optional=True)
    saliency = expect(artefacts, "saliency", dict, f"{where}: artefacts", optional=True)
    if saliency is not None:
        expect(saliency, "file", str, f"{where}: artefacts.saliency")
        expect_list_of(saliency, "methods", str, f"{where}: artefacts.saliency")
        expect_list_of(saliency, "available", str, f"{where}: artefacts.saliency")
        expect(saliency, "params", dict, f"{where}: artefacts.saliency")
        _validate_saliency_progress(saliency, f"{where}: artefacts.saliency")
    _validate_embeddings(artefacts, f"{where}: artefacts")
    details = expect(artefacts, "details", dict, f"{where}: artefacts", optional=True)
    if details is not None:
        for item, file in expect(details, "items", dict, f"{where}: artefacts.details").items():
            if not isinstance(file, str):
                raise PetLensError(f"{where}: artefacts.details.items[{item!r}] must be a "
                                   "string path")


def _validate_saliency_progress(saliency: dict, where: str) -> None:
    """Optional (older runs lack them: their maps are complete): ``phase``, ``status``,
    ``order`` (the methods in the order they are computed), ``done`` of ``total`` maps."""
    expect(saliency, "phase", int, where, optional=True)
    status = expect(saliency, "status", str, where, optional=True)
    if status is not None and status not in SALIENCY_STATUSES:
        raise PetLensError(f"{where}: unknown status {status!r}; expected one of "
                           f"{SALIENCY_STATUSES}")
    if saliency.get("order") is not None:
        expect_list_of(saliency, "order", str, where)
    done = expect(saliency, "done", int, where, optional=True)
    total = expect(saliency, "total", int, where, optional=True)
    if done is not None and total is not None and not 0 <= done <= total:
        raise PetLensError(f"{where}: done ({done}) must be within 0..total ({total})")


def _validate_embeddings(artefacts: dict, where: str) -> None:
    """Optional ``embeddings`` (``file``, ``source``, ``phase``, ``n_items``, ``n_features``,
    ``layer``; with training features ``n_train``, ``train_thumbs`` {train item: path} and
    ``train_root``, the training items' folder) and ``embeddings_skipped`` (why there are
    none)."""
    reason = expect(artefacts, "embeddings_skipped", str, where, optional=True)
    if reason is not None and not reason.strip():
        raise PetLensError(f"{where}: 'embeddings_skipped' must say why (found an empty string)")
    entry = expect(artefacts, "embeddings", dict, where, optional=True)
    if entry is None:
        return
    at = f"{where}.embeddings"
    expect(entry, "file", str, at)
    if expect(entry, "source", str, at) not in EMBEDDING_SOURCES:
        raise PetLensError(f"{at}: source {entry['source']!r} is not one of {EMBEDDING_SOURCES}")
    for key in ("phase", "n_items", "n_features"):
        expect(entry, key, int, at)
    expect(entry, "layer", str, at, optional=True)
    expect(entry, "n_train", int, at, optional=True)
    expect(entry, "train_phase", int, at, optional=True)
    expect(entry, "train_root", str, at, optional=True)
    for item, file in (expect(entry, "train_thumbs", dict, at, optional=True) or {}).items():
        if not isinstance(file, str):
            raise PetLensError(f"{at}: train_thumbs[{item!r}] must be a string path")


def _validate_preds_skipped(artefacts: dict, where: str) -> None:
    """``preds_skipped``: optional; why no validation predictions were recorded (a non-empty
    string shown to users in place of the confusion matrix and top losses)."""
    reason = expect(artefacts, "preds_skipped", str, where, optional=True)
    if reason is not None and not reason.strip():
        raise PetLensError(f"{where}: 'preds_skipped' must say why (found an empty string)")


def _expect_time(container: dict, key: str, where: str) -> None:
    value = expect(container, key, str, where, optional=True)
    if value is not None:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise PetLensError(f"{where}: {key!r} is not an ISO date-time: {value!r}") from None


def _as_tuple(types) -> tuple:
    return types if isinstance(types, tuple) else (types,)


def _names(types) -> str:
    return " or ".join(t.__name__ for t in _as_tuple(types))
