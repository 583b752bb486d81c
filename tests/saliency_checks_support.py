"""Saliency maps and their trust checks added to a run written by ``demo.scale_run.write_run``
(which trains nothing): the browser tests and screenshots of the saliency-quality panel and
the top-loss trust badge at any number of classes; and the small CNN the checks' tests
train. The numbers are drawn so that every verdict occurs (pass, warn, fail and not
computable), then judged by petlens' own thresholds."""

from __future__ import annotations

import json

import numpy as np

from petlens import load_run, schema
from petlens import saliency_checks_file as checks_file
from petlens.saliency.check_record import pack as pack_checks
from petlens.saliency.checks import STEPS, empty_result, judge
from petlens.saliency.record import pack as pack_maps
from petlens.storage import atomic_write_json, atomic_write_npz

METHODS = ("gradcam", "integrated_gradients")


def small_cnn(n_classes: int = 4):
    """``Sequential(body, head)`` as fastai's vision models are: three conv blocks, a head
    (a model trained in seconds; ``benchmarks/saliency_checks.py --arch small`` too)."""
    from torch import nn

    def block(i, o):
        return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o),
                             nn.ReLU(), nn.MaxPool2d(2))

    return nn.Sequential(nn.Sequential(block(3, 16), block(16, 32), block(32, 64)),
                         nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                                       nn.Linear(64, n_classes)))
STAGES = ["head", "0.7"]


def blob(rng, size=64) -> np.ndarray:
    y, x = np.mgrid[:size, :size] / size
    cy, cx = rng.uniform(0.3, 0.7, 2)
    return np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 0.02)


def add_saliency_checks(path, *, k: int = 6, seed: int = 0, status: str = "complete") -> list:
    """Add maps of the ``k`` top losses (``pred`` target, both methods) and their checks to
    the run at ``path``; returns the checked items' indices in the predictions."""
    run = load_run(path)
    preds = run.preds
    top = np.argsort(-preds.losses, kind="stable")[:k]
    rng = np.random.default_rng(seed)
    rows, results = [], []
    for method in METHODS:
        for n, i in enumerate(top):
            m = blob(rng)
            rows.append({"items": str(preds.items[i]), "method": method, "target": "pred",
                         "label": int(preds.decoded[i]),
                         "map": np.round(m * 255).astype(np.uint8), "n_steps": 0,
                         "delta": np.nan})
            r = empty_result(len(STAGES), STEPS)
            kind = n % 4  # 0 pass, 1 warn, 2 fail, 3 not computable
            rho = [0.6, (0.1, 0.4, 0.8, 0.1)[kind]]
            r["spearman"] = np.array(rho)
            r["ssim"] = np.array([0.5, rho[1] / 2])
            x = np.linspace(0, 1, STEPS + 1)
            start = 0.9
            r["curves"] = np.stack([start * (1 - x) ** (3 if kind != 2 else 0.7),
                                    start * x ** 0.3, start * (1 - x), start * x])
            r["aucs"] = ((r["curves"][:, 1:] + r["curves"][:, :-1]) / 2).mean(1)
            r["evidence"] = 0.6
            r["localisation"] = np.array([1.0, (0.5, 0.3, 0.1, 0.5)[kind], 0.2])
            if kind == 3:
                r["reason"] = "the map is all zero (or constant): it orders no pixel"
            results.append(judge(r))
    arrays = pack_maps(rows)
    atomic_write_npz(path / schema.SALIENCY_FILE, arrays)
    cascade = [(j, np.stack([np.round(blob(rng) * 255).astype(np.uint8)
                             for _ in STAGES])) for j in (0, 1, k, k + 1)]
    checked = pack_checks(rows, results, cascade, len(STAGES), STEPS + 1)
    meta = {"schema": checks_file.SCHEMA, "phase": 1, "status": status,
            "order": list(METHODS), "methods": list(METHODS), "skipped": {},
            "stages": STAGES, "done": len(rows), "total": len(rows), "params": {},
            "thresholds": {}}
    atomic_write_npz(path / checks_file.FILE, checks_file.with_meta(checked, meta))
    manifest = json.loads((path / schema.MANIFEST).read_text())
    manifest["artefacts"]["saliency"] = {
        "file": schema.SALIENCY_FILE, "methods": list(METHODS), "available": list(METHODS),
        "params": {m: {} for m in METHODS}, "top_k": k, "phase": 1, "status": "complete"}
    manifest["artefacts"]["saliency_checks"] = {"file": checks_file.FILE, "phase": 1,
                                                "status": status}
    atomic_write_json(path / schema.MANIFEST, manifest)
    return [int(i) for i in top]
