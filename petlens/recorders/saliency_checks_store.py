"""Writing ``saliency_checks.npz`` and its manifest entry for the session (issue 17).

The session calls :func:`begin` when a fit's saliency job starts (an empty, pending file
replaces the earlier fit's checks, or ``status: off`` without a file), :func:`store` at each
of the job's saves (under the session's lock) and :func:`mark` when the job is cancelled or
fails.
"""

from __future__ import annotations

from pathlib import Path

from .. import saliency_checks_file as checks_file
from ..storage import atomic_write_npz

NO_CONV = "needs a convolutional layer and this model has none"


def begin(folder: Path, manifest: dict, job, wanted) -> None:
    """A new job: its entry (``pending``, or ``off`` when the job has no checks) and an
    empty file."""
    artefacts = manifest["artefacts"]
    if job.checks is None:
        artefacts["saliency_checks"] = {"status": "off", "phase": job.phase}
        (folder / checks_file.FILE).unlink(missing_ok=True)
        return
    artefacts["saliency_checks"] = {"file": checks_file.FILE, "phase": job.phase,
                                    "status": "pending"}
    atomic_write_npz(folder / checks_file.FILE, _arrays(manifest, job, wanted))


def store(folder: Path, manifest: dict, job, wanted) -> None:
    """Every check so far, atomically; the entry's status follows the job's."""
    if job.checks is None:
        return
    atomic_write_npz(folder / checks_file.FILE, _arrays(manifest, job, wanted))
    manifest["artefacts"]["saliency_checks"]["status"] = job.checks.status


def mark(manifest: dict, status: str) -> None:
    """``cancelled`` or ``failed``: the entry says so (the file keeps what was checked)."""
    entry = manifest["artefacts"].get("saliency_checks")
    if entry is not None and entry.get("status") == "pending":
        entry["status"] = status


def _arrays(manifest: dict, job, wanted) -> dict:
    order = manifest["artefacts"]["saliency"].get("order") or []
    skipped = {m: NO_CONV for m in wanted if m not in order}
    return job.checks.arrays(order, skipped)
