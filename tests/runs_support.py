"""Run folders with chosen validation items and labels (no training), and folder snapshots,
for the label-issue and fix-queue tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from petlens.demo.scale_run import write_run


def run_with_items(root: Path, items: list[str], labels: list[str], vocab: list[str],
                   probs: np.ndarray | None = None) -> Path:
    """A complete run folder whose latest predictions hold ``items`` labelled ``labels``
    (``probs``: the model's probabilities, else ``write_run``'s random ones)."""
    path = write_run(root, n_classes=len(vocab), n_items=len(items), vocab=vocab)
    preds = next((path / "preds").glob("*.npz"))
    with np.load(preds) as npz:
        arrays = {key: npz[key] for key in npz.files}
    targets = np.array([vocab.index(label) for label in labels], np.int32)
    if probs is not None:
        arrays["probs"] = probs.astype(np.float16)
    p = arrays["probs"].astype(np.float32)
    arrays.update(items=np.array(items), targets=targets,
                  decoded=p.argmax(1).astype(np.int32),
                  losses=-np.log(p[np.arange(len(items)), targets] + 1e-6).astype(np.float32))
    np.savez(preds, **arrays)
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative POSIX path) with the SHA-256 of its bytes, and
    every folder (hash '-')."""
    folder = Path(folder)
    return {p.relative_to(folder).as_posix():
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "-"
            for p in sorted(folder.rglob("*"))}
