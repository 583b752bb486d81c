"""Creating a run folder and writing its artefacts atomically."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from pathlib import Path

from . import schema
from .storage import atomic_write_json, atomic_write_npz

RUNS_FOLDER = Path("petlens-runs")  # where runs go unless told otherwise


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def new_run_id() -> str:
    """``20261128-201500-1a2b3c``: sortable by time, unique across kernels."""
    return datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


class RunFolder:
    """A new run folder under ``root``: ``root/<name or id>`` (``-2``, ``-3``... if taken)."""

    def __init__(self, root, name: str | None = None):
        self.id = new_run_id()
        base = Path(root) / (name or self.id)
        path, n = base, 1
        while True:
            try:
                path.mkdir(parents=True, exist_ok=False)
                break
            except FileExistsError:
                n += 1
                path = base.with_name(f"{base.name}-{n}")
        self.path = path

    def write_manifest(self, manifest: dict) -> None:
        atomic_write_json(self.path / schema.MANIFEST, manifest)

    def write_timeline(self, arrays: dict) -> str:
        atomic_write_npz(self.path / schema.TIMELINE, arrays)
        return schema.TIMELINE

    def write_lr_finds(self, calls: list[dict]) -> str:
        atomic_write_json(self.path / schema.LR_FIND, {"calls": calls})
        return schema.LR_FIND

    def write_preds(self, phase: int, epoch: int | None, arrays: dict) -> str:
        """Write predictions of ``epoch`` of ``phase`` (``None``: the phase's latest)."""
        suffix = "latest" if epoch is None else f"epoch{epoch:03d}"
        relative = f"{schema.PREDS_DIR}/phase{phase:02d}-{suffix}.npz"
        atomic_write_npz(self.path / relative, arrays)
        return relative

    def thumb_path(self, file_name: str) -> tuple[Path, str]:
        relative = f"{schema.THUMBS_DIR}/{file_name}"
        return self.path / relative, relative
