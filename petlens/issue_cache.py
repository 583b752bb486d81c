"""The label-issue cache of a run folder: ``label_issues.npz``, written at the first read that
asks for it (``run.label_issues``), never while training.

One file, replaced atomically, that says what it came from: the arrays of
:class:`petlens.label_issues.LabelIssues` (``schema.LABEL_ISSUES_ARRAYS``) and ``meta``, a
JSON object in a one-string array (``preds``: the predictions file, ``iter``,
``fingerprint``: a SHA-1 of those predictions, ``cleanlab``: its version, ``method``,
``filter_by``, ``top_k``, ``approximate``, ``computed``). It is recomputed when the latest
predictions, cleanlab's version or the parameters differ. The manifest does not index it: a
reader never rewrites the manifest, which a live training session owns. A read-only run
folder gets the numbers in memory, with ``note`` saying nothing was cached.

>>> issues = label_issues_for(run)
>>> issues.cached, (run.path / schema.LABEL_ISSUES_FILE).is_file()
(True, True)
>>> label_issues_for(run).note
'read from label_issues.npz'
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from . import schema
from .errors import PetLensError
from .label_issues import (
    FILTER_BY,
    MAX_PAIRS,
    METHOD,
    LabelIssues,
    cleanlab_version,
    find_label_issues,
    preds_fingerprint,
)
from .storage import atomic_write_npz, read_npz, read_npz_headers

_META_FIELDS = {"preds": str, "iter": int, "fingerprint": str, "cleanlab": str, "method": str,
                "filter_by": str, "approximate": bool, "n_items": int, "n_classes": int,
                "computed": str}


def label_issues_for(run, *, write: bool = True) -> LabelIssues:
    """The run's label issues from its latest predictions: read from the cache when it is
    current, else computed with cleanlab and (``write``) cached."""
    preds = run.preds
    if preds is None:
        raise PetLensError(f"{run.path}: no label issues: this run has no validation "
                           f"predictions{': ' + run.preds_skipped if run.preds_skipped else ''}")
    entry = run.pred_sets[-1]
    path = run.path / schema.LABEL_ISSUES_FILE
    wanted = {"preds": entry["file"], "iter": entry["iter"], "cleanlab": cleanlab_version(),
              "method": METHOD, "filter_by": FILTER_BY, "fingerprint": preds_fingerprint(preds)}
    if path.is_file():
        cached = read_cache(path, n_classes=len(run.vocab))
        if all(cached.meta.get(key) == value for key, value in wanted.items()) and np.array_equal(
                cached.items, preds.items):
            return cached
    issues = find_label_issues(preds, run.vocab, max_pairs=MAX_PAIRS)
    meta = {**issues.meta, **wanted,
            "computed": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    if not write:
        return _with(issues, meta, cached=False, note="not cached (write=False)")
    try:
        atomic_write_npz(path, {**_arrays(issues), "meta": np.array([json.dumps(meta)])})
    except OSError as e:
        return _with(issues, meta, cached=False,
                     note=f"not cached: the run folder cannot be written ({e.strerror or e})")
    return _with(issues, meta, cached=True, note=f"computed and cached in {path.name}")


def _with(issues: LabelIssues, meta: dict, *, cached: bool, note: str) -> LabelIssues:
    from dataclasses import replace

    return replace(issues, meta=meta, cached=cached, note=note)


def _arrays(issues: LabelIssues) -> dict:
    return {key: getattr(issues, key) for key in schema.LABEL_ISSUES_ARRAYS}


def check_headers(path: Path) -> None:
    """At ``load_run``: the file's arrays have the declared kinds and ranks (no data read)."""
    _check(read_npz_headers(path, what=schema.LABEL_ISSUES_FILE))


def read_cache(path: Path, *, n_classes: int) -> LabelIssues:
    """Read and validate ``label_issues.npz``; :class:`PetLensError` names the field."""
    what = schema.LABEL_ISSUES_FILE
    arrays = read_npz(path, what=what)
    _check(arrays)
    meta = _meta(arrays["meta"][0])
    for key in ("given", "suggested"):
        values = arrays[key]
        if values.size and (values.min() < 0 or values.max() >= n_classes):
            raise PetLensError(f"{what}: {key} outside 0..{n_classes - 1}")
    if len(arrays["class_issues"]) != n_classes:
        raise PetLensError(f"{what}: class_issues has {len(arrays['class_issues'])} entries "
                           f"for {n_classes} classes")
    pairs = arrays["pairs"]
    if pairs.shape[1:] != (2,) or (pairs.size and (pairs.min() < 0 or pairs.max() >= n_classes)):
        raise PetLensError(f"{what}: pairs must be (a, b) class pairs within 0..{n_classes - 1}")
    scores = arrays["scores"]
    if scores.size and not (np.isfinite(scores).all() and scores.min() >= 0
                            and scores.max() <= 1):
        raise PetLensError(f"{what}: scores must be label qualities within 0..1")
    fields = {key: arrays[key] for key in schema.LABEL_ISSUES_ARRAYS}
    return LabelIssues(**fields, meta=meta, cached=True, note=f"read from {what}")


def _check(arrays: dict) -> None:
    """Kinds, ranks and lengths of the arrays (or their headers)."""
    what = schema.LABEL_ISSUES_FILE
    spec = {**schema.LABEL_ISSUES_ARRAYS, "meta": ("U", 1)}
    schema.check_kinds(arrays, spec, what)
    for group in schema.LABEL_ISSUES_GROUPS:
        lengths = {key: arrays[key].shape[0] for key in group}
        if len(set(lengths.values())) > 1:
            raise PetLensError(f"{what}: arrays {sorted(group)} differ in length: {lengths}")
    if arrays["meta"].shape[0] != 1:
        raise PetLensError(f"{what}: array 'meta' must hold one JSON string")


def _meta(value: np.ndarray) -> dict:
    what = f"{schema.LABEL_ISSUES_FILE}: meta"
    try:
        meta = json.loads(str(value))
    except json.JSONDecodeError as e:
        raise PetLensError(f"{what}: not valid JSON: {e}") from None
    for key, kind in _META_FIELDS.items():
        schema.expect(meta, key, kind, what)
    schema.expect(meta, "top_k", int, what, optional=True)
    return meta
