"""The trust checks of a fit's stored maps, in the background job, from its snapshot.

:class:`CheckState` holds what the job has checked so far; :meth:`CheckState.add` checks a
chunk of one method's rows (as :func:`petlens.saliency.record.explain_batch` returns them,
with their maps on the model's input); :meth:`CheckState.arrays` gives the
``saliency_checks.npz`` arrays (:mod:`petlens.saliency_checks_file`).
"""

from __future__ import annotations

import numpy as np
import torch

from .. import saliency_checks_file as checks_file
from .. import saliency_metrics as sm
from .checks import PARAMS, Checker
from .frame import display_map
from .masks import input_mask
from .methods import METHODS
from .normalise import quantise

CASCADE_ROWS = 4  # maps per method whose randomised versions are kept (the cascade figure)
CASCADE_LONGEST = 128  # longest side of those maps


class CheckState:
    """The checks of one snapshot's maps, method after method."""

    def __init__(self, snapshot, *, phase: int, total: int):
        self.snapshot, self.phase, self.total = snapshot, phase, total
        self.checker = Checker(snapshot.model, snapshot.scale)
        self.rows: list[dict] = []
        self.results: list[dict] = []
        self.cascade: list[tuple[int, np.ndarray]] = []  # (row, [S, h, w] uint8)
        self.methods: list[str] = []
        self.status = "pending"
        self._masks: dict[int, np.ndarray | None] = {}

    @property
    def done(self) -> int:
        return len(self.results)

    def mask(self, index: int, shape: tuple[int, int]):
        if index not in self._masks:
            snap = self.snapshot
            self._masks[index] = input_mask(snap.items[index], snap.resize, shape)
        return self._masks[index]

    def add(self, method: str, rows: list[dict]) -> None:
        """Check ``rows`` (one method's, each with ``index`` and ``input_map``)."""
        snap = self.snapshot
        x = torch.stack([snap.inputs[r["index"]] for r in rows])
        shape = tuple(x.shape[-2:])
        maps = np.stack([r["input_map"] for r in rows]).astype(np.float32)
        with torch.autocast(device_type=x.device.type, enabled=False):
            found = self.checker.check(
                METHODS[method], method, x, [r["label"] for r in rows], maps,
                [r["index"] for r in rows], [self.mask(r["index"], shape) for r in rows])
        kept = sum(1 for row, _ in self.cascade if self.rows[row]["method"] == method)
        for row, result in zip(rows, found, strict=True):
            if (kept < CASCADE_ROWS and row["target"] == "pred"
                    and len(result["randomised"]) == self.checker.n_stages):
                index = row["index"]
                longest = min(snap.longest[index], CASCADE_LONGEST)
                self.cascade.append((len(self.rows), np.stack([
                    quantise(display_map(m, snap.items[index], snap.resize, longest))
                    for m in result["randomised"]])))
                kept += 1
            result["randomised"] = []  # the big maps: not kept
            self.rows.append({key: row[key] for key in ("items", "method", "target",
                                                        "label")})
            self.results.append(result)
        if method not in self.methods:
            self.methods.append(method)

    def meta(self, order: list[str], skipped: dict[str, str]) -> dict:
        return {"schema": checks_file.SCHEMA, "phase": self.phase, "status": self.status,
                "order": list(order), "methods": list(self.methods),
                "skipped": dict(skipped), "stages": list(self.checker.stage_names),
                "done": self.done, "total": self.total, "params": PARAMS,
                "thresholds": sm.THRESHOLDS}

    def arrays(self, order: list[str], skipped: dict[str, str]) -> dict[str, np.ndarray]:
        """The file's arrays, ``meta`` included."""
        return checks_file.with_meta(
            pack(self.rows, self.results, self.cascade, self.checker.n_stages,
                 self.checker.steps + 1), self.meta(order, skipped))


def pack(rows: list[dict], results: list[dict], cascade: list, n_stages: int,
         n_points: int) -> dict[str, np.ndarray]:
    """Rows ``{items, method, target, label}`` and their checks -> the arrays."""
    if not rows:
        return checks_file.empty(n_stages, n_points)
    order = ("overall", *sm.CHECKS)
    verdicts = [[r["verdict"], *(r["verdicts"][c] for c in sm.CHECKS)] for r in results]
    reasons = [[r["reason"] or _overall_reason(r), *(r["reasons"].get(c, "")
                                                     for c in sm.CHECKS)] for r in results]
    assert len(order) == 5
    shapes = np.array([m.shape[1:] for _, m in cascade], np.int32).reshape(-1, 2)
    size = shapes.max(axis=0, initial=1)
    maps = np.zeros((len(cascade), n_stages, *size), np.uint8)
    for out, (_, m) in zip(maps, cascade, strict=True):
        out[:, :m.shape[1], :m.shape[2]] = m
    f32 = np.float32
    return {
        "items": np.array([r["items"] for r in rows], str),
        "method": np.array([r["method"] for r in rows], str),
        "target": np.array([r["target"] for r in rows], str),
        "label": np.array([r["label"] for r in rows], np.int32),
        "verdicts": np.array(verdicts, str), "reasons": np.array(reasons, str),
        "spearman": np.array([r["spearman"] for r in results], f32).reshape(-1, n_stages),
        "ssim": np.array([r["ssim"] for r in results], f32).reshape(-1, n_stages),
        "curves": np.array([r["curves"] for r in results], f32).reshape(-1, 4, n_points),
        "aucs": np.array([r["aucs"] for r in results], f32).reshape(-1, 4),
        "evidence": np.array([r["evidence"] for r in results], f32),
        "localisation": np.array([r["localisation"] for r in results], f32).reshape(-1, 3),
        "cascade_rows": np.array([row for row, _ in cascade], np.int32),
        "cascade_maps": maps, "cascade_shapes": shapes,
    }


def _overall_reason(result: dict) -> str:
    worst = result["verdict"]
    if worst == "na":
        return "not computable: " + "; ".join(sorted(set(result["reasons"].values())))
    failing = [c for c in sm.CHECKS if result["verdicts"][c] == worst]
    return f"{worst}: " + "; ".join(result["reasons"][c] for c in failing)
