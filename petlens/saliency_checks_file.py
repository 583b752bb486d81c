"""``saliency_checks.npz``: the trust checks of a run's stored saliency maps (issue 17).

Written by the background saliency job after the maps of each method
(``petlens.recorders.saliency_job``), indexed by the manifest's ``artefacts.saliency_checks``
(``file``, ``phase``, ``status``: ``pending`` / ``complete`` / ``cancelled`` / ``failed``, or
``off`` without a file when ``PetLens(saliency_checks=False)``), read by
:func:`read_checks` (``Run.saliency_checks``). No pickle: arrays and one JSON string.

================  ================  ======================================================
array             dtype, shape      holds
================  ================  ======================================================
items             str [K]           the map's item, ``method``, ``target``, ``label`` (as in
method, target    str [K]           ``saliency.npz``)
label             int [K]
verdicts          str [K, 5]        overall, then ``CHECKS`` (randomisation, deletion,
                                    insertion, localisation): ``pass``/``warn``/``fail``/``na``
reasons           str [K, 5]        one line each (what was measured, or why not)
spearman, ssim    float [K, S]      similarity to the original after each randomisation stage
curves            float [K, 4, T]   deletion, insertion, random deletion, random insertion
aucs              float [K, 4]      their areas
evidence          float [K]         p(class | image) - p(class | blurred image)
localisation      float [K, 3]      pointing game (1 / 0), relevance mass in mask, mask area
cascade_rows      int [C]           rows whose randomised maps are kept (a few per method)
cascade_maps      uint8 [C, S, H, W]  those maps over the whole image (``saliency.npz``'s
cascade_shapes    int [C, 2]        frame, small), padded; (h, w) of each
meta              str [1]           JSON: ``schema``, ``phase``, ``status``, ``order`` (the
                                    methods planned), ``methods`` (checked), ``skipped``
                                    ({method: why not}), ``stages`` (names), ``done`` /
                                    ``total`` maps, ``params``, ``thresholds``
================  ================  ======================================================

NaN is "not measured". A reader refuses any other shape, kind, verdict or meta field with a
:class:`PetLensError` naming the file and the field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import schema
from .errors import PetLensError
from .saliency_metrics import CHECKS, VERDICTS
from .storage import read_npz

FILE = "saliency_checks.npz"
SCHEMA = "petlens.saliency_checks/1"
STATUSES = ("pending", "complete", "cancelled", "failed", "off")

ARRAYS = {  # name -> (dtype kind, rank); rows of K first
    "items": ("U", 1), "method": ("U", 1), "target": ("U", 1), "label": ("i", 1),
    "verdicts": ("U", 2), "reasons": ("U", 2), "spearman": ("f", 2), "ssim": ("f", 2),
    "curves": ("f", 3), "aucs": ("f", 2), "evidence": ("f", 1), "localisation": ("f", 2),
}
CASCADE_ARRAYS = {"cascade_rows": ("i", 1), "cascade_maps": ("u", 4),
                  "cascade_shapes": ("i", 2)}
_META = {"schema": str, "phase": int, "status": str, "order": list, "methods": list,
         "skipped": dict, "stages": list, "done": int, "total": int, "params": dict,
         "thresholds": dict}


def empty(n_stages: int, n_points: int) -> dict[str, np.ndarray]:
    """The arrays of a file with no map checked yet."""
    arrays = {key: np.zeros((0,), str) for key in ("items", "method", "target")}
    return {**arrays, "label": np.zeros(0, np.int32),
            "verdicts": np.zeros((0, 5), "<U4"), "reasons": np.zeros((0, 5), "<U8"),
            "spearman": np.zeros((0, n_stages), np.float32),
            "ssim": np.zeros((0, n_stages), np.float32),
            "curves": np.zeros((0, 4, n_points), np.float32),
            "aucs": np.zeros((0, 4), np.float32), "evidence": np.zeros(0, np.float32),
            "localisation": np.zeros((0, 3), np.float32),
            "cascade_rows": np.zeros(0, np.int32),
            "cascade_maps": np.zeros((0, n_stages, 1, 1), np.uint8),
            "cascade_shapes": np.zeros((0, 2), np.int32)}


def with_meta(arrays: dict, meta: dict) -> dict:
    """``arrays`` plus ``meta`` as the one-string JSON array the file stores."""
    from .storage import json_safe

    return {**arrays, "meta": np.array([json.dumps(json_safe(meta))])}


def read_checks(path: Path, *, n_classes: int, what: str = FILE) -> tuple[dict, dict]:
    """``(arrays, meta)`` of ``saliency_checks.npz``, validated."""
    arrays = read_npz(path, what=what)
    check_arrays(arrays, what)
    meta = parse_meta(arrays.pop("meta"), what)
    labels = arrays["label"]
    if labels.size and n_classes and (labels.min() < 0 or labels.max() >= n_classes):
        raise PetLensError(f"{what}: label outside 0..{n_classes - 1}")
    unknown = set(arrays["method"].tolist()) - set(schema.SALIENCY_METHODS)
    if unknown:
        raise PetLensError(f"{what}: unknown method {sorted(unknown)}")
    unknown = set(arrays["target"].tolist()) - set(schema.SALIENCY_TARGETS)
    if unknown:
        raise PetLensError(f"{what}: unknown target {sorted(unknown)}")
    unknown = set(arrays["verdicts"].ravel().tolist()) - set(VERDICTS)
    if unknown:
        raise PetLensError(f"{what}: unknown verdict {sorted(unknown)}; expected {VERDICTS}")
    n_stages = len(meta["stages"])
    for key in ("spearman", "ssim"):
        if arrays[key].shape[1] != n_stages:
            raise PetLensError(f"{what}: {key} has {arrays[key].shape[1]} stages, meta "
                               f"names {n_stages}")
    if arrays["curves"].shape[1] != 4 or arrays["aucs"].shape[1] != 4:
        raise PetLensError(f"{what}: curves and aucs must hold 4 curves per map")
    if arrays["localisation"].shape[1] != 3 or arrays["verdicts"].shape[1] != 1 + len(
            CHECKS) or arrays["reasons"].shape != arrays["verdicts"].shape:
        raise PetLensError(f"{what}: localisation must hold 3 numbers and verdicts / reasons "
                           f"{1 + len(CHECKS)} per map")
    rows, maps, shapes = (arrays[k] for k in CASCADE_ARRAYS)
    k = len(arrays["items"])
    if len(rows) != len(maps) or len(rows) != len(shapes) or shapes.shape[1:] != (2,):
        raise PetLensError(f"{what}: cascade arrays differ in length")
    if rows.size and (rows.min() < 0 or rows.max() >= k):
        raise PetLensError(f"{what}: cascade_rows outside 0..{k - 1}")
    if maps.dtype != np.uint8 or (len(maps) and maps.shape[1] != n_stages):
        raise PetLensError(f"{what}: cascade_maps must be uint8 with one map per stage")
    if shapes.size and (shapes.min() < 1 or (shapes > np.array(maps.shape[2:])).any()):
        raise PetLensError(f"{what}: cascade_shapes must lie within the maps' size")
    return arrays, meta


def check_arrays(arrays: dict, what: str = FILE) -> None:
    """Kinds, ranks and lengths of the arrays (or their headers)."""
    spec = {**ARRAYS, **CASCADE_ARRAYS, "meta": ("U", 1)}
    schema.check_kinds(arrays, spec, what)
    lengths = {key: arrays[key].shape[0] for key in ARRAYS}
    if len(set(lengths.values())) > 1:
        raise PetLensError(f"{what}: arrays differ in length: {lengths}")
    if arrays["meta"].shape[0] != 1:
        raise PetLensError(f"{what}: array 'meta' must hold one JSON string")


def parse_meta(value: np.ndarray, what: str = FILE) -> dict:
    where = f"{what}: meta"
    try:
        meta = json.loads(str(value[0]))
    except json.JSONDecodeError as e:
        raise PetLensError(f"{where}: not valid JSON: {e}") from None
    for key, kind in _META.items():
        schema.expect(meta, key, kind, where)
    if meta["schema"] != SCHEMA:
        raise PetLensError(f"{where}: schema {meta['schema']!r}; this petlens reads {SCHEMA} "
                           "(upgrade petlens to open newer runs)")
    if meta["status"] not in STATUSES:
        raise PetLensError(f"{where}: unknown status {meta['status']!r}; expected {STATUSES}")
    for key in ("order", "methods", "stages"):
        schema.expect_list_of(meta, key, str, where)
    for key in ("order", "methods"):
        unknown = set(meta[key]) - set(schema.SALIENCY_METHODS)
        if unknown:
            raise PetLensError(f"{where}: {key} has unknown methods {sorted(unknown)}")
    for method, why in meta["skipped"].items():
        if method not in schema.SALIENCY_METHODS or not isinstance(why, str):
            raise PetLensError(f"{where}: skipped must map methods to reasons")
    if not 0 <= meta["done"] <= meta["total"]:
        raise PetLensError(f"{where}: done ({meta['done']}) must be within 0..total")
    return meta


def validate_entry(entry, where: str = "manifest.json: artefacts.saliency_checks") -> None:
    """The manifest's ``artefacts.saliency_checks``: ``status``, ``phase``, ``file``."""
    status = schema.expect(entry, "status", str, where)
    if status not in STATUSES:
        raise PetLensError(f"{where}: unknown status {status!r}; expected {STATUSES}")
    schema.expect(entry, "phase", int, where, optional=True)
    if status != "off":
        schema.expect(entry, "file", str, where)


@dataclass(frozen=True)
class SaliencyChecks:
    """``run.saliency_checks``: the checks of the stored maps, as far as they got.

    ``status``: ``pending`` / ``complete`` / ``cancelled`` / ``failed``, or ``off``
    (``PetLens(saliency_checks=False)``: no file); ``arrays`` and ``meta`` as the file holds
    them (empty when off)."""

    status: str
    meta: dict = field(default_factory=dict)
    arrays: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.arrays.get("items", ()))

    @property
    def stages(self) -> list[str]:
        return list(self.meta.get("stages", []))

    def rows(self) -> list[dict]:
        """One dict per checked map: ``item``, ``method``, ``target``, ``label``,
        ``verdict`` and ``verdicts`` (per check), ``reason`` and ``reasons``, the numbers."""
        a = self.arrays
        out = []
        for k in range(len(self)):
            out.append({
                "item": str(a["items"][k]), "method": str(a["method"][k]),
                "target": str(a["target"][k]), "label": int(a["label"][k]),
                "verdict": str(a["verdicts"][k, 0]), "reason": str(a["reasons"][k, 0]),
                "verdicts": dict(zip(CHECKS, a["verdicts"][k, 1:].tolist(), strict=True)),
                "reasons": dict(zip(CHECKS, a["reasons"][k, 1:].tolist(), strict=True)),
                "spearman": _floats(a["spearman"][k]), "ssim": _floats(a["ssim"][k]),
                "aucs": dict(zip(("deletion", "insertion", "random_deletion",
                                  "random_insertion"), _floats(a["aucs"][k]), strict=True)),
                "evidence": _floats([a["evidence"][k]])[0],
                "localisation": dict(zip(("pointing", "mass", "area"),
                                         _floats(a["localisation"][k]), strict=True)),
            })
        return out

    def summary(self) -> dict:
        """Per method (in the order they were planned): the medians over its maps and their
        verdicts (:func:`petlens.saliency_metrics.summary`), or ``{'state': ...}`` for a
        method not checked (``pending``, ``skipped`` with its reason)."""
        from .saliency_metrics import summary

        out = {}
        a = self.arrays
        for method in self.meta.get("order", []):
            rows = np.flatnonzero(a["method"] == method) if len(self) else np.zeros(0, int)
            if method not in self.meta.get("methods", []) or not len(rows):
                out[method] = {"state": "pending" if self.status == "pending" else "missing"}
                continue
            out[method] = {"state": "done", **summary(
                a["spearman"][rows], a["ssim"][rows], a["aucs"][rows], a["evidence"][rows],
                a["localisation"][rows])}
            if (a["verdicts"][rows, 0] == "na").all():
                out[method]["verdict"] = "na"
        for method, why in self.meta.get("skipped", {}).items():
            out[method] = {"state": "skipped", "reason": why, "verdict": "na"}
        return out


def _floats(values) -> list[float | None]:
    return [float(v) if np.isfinite(v) else None for v in np.asarray(values, np.float64)]


def load(run) -> SaliencyChecks | None:
    """The run's checks (``Run.saliency_checks``): ``None`` for a run without saliency
    checks (recorded before them, or no saliency)."""
    from .storage import resolve_inside

    entry = run.manifest["artefacts"].get("saliency_checks")
    if entry is None:
        return None
    validate_entry(entry)
    if entry["status"] == "off":
        return SaliencyChecks("off")
    path = resolve_inside(run.path, entry["file"], what="saliency_checks")
    arrays, meta = read_checks(path, n_classes=len(run.vocab), what=entry["file"])
    return SaliencyChecks(entry["status"], meta, arrays)
