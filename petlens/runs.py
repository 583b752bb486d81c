"""Finding runs on disk: the runs of a folder, and a run by path, name or id prefix.

The command line (``petlens ls``) and the notebook (``%petlens runs``) both list runs here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import schema
from .errors import PetLensError
from .run import Run, load_run
from .run_folder import RUNS_FOLDER


@dataclass(frozen=True)
class RunEntry:
    """One run folder of a listing: the run, or why it could not be read."""

    path: Path
    run: Run | None
    error: str | None = None

    def row(self) -> dict:
        """What a listing shows of the run: name, state, model, classes, fits, iterations,
        error rate, creation time."""
        if self.run is None:
            return {"run": self.path.name, "state": f"unreadable: {self.error}"}
        run = self.run
        return {"run": self.path.name, "state": "complete" if run.complete else "partial",
                "model": run.manifest["model"].get("arch"), "classes": len(run.vocab),
                "fits": len(run.phases), "iterations": len(run.timeline),
                "error_rate": run.error_rate, "created": run.manifest["created"]}


def list_runs(folder=None) -> list[RunEntry]:
    """Every run folder in ``folder`` (default ``./petlens-runs``; those with a manifest),
    newest first.

    >>> [entry.row()["state"] for entry in list_runs(run.path.parent)]
    ['complete']
    """
    folder = Path(RUNS_FOLDER if folder is None else folder)
    if not folder.is_dir():
        raise PetLensError(f"{folder}: no such folder")
    entries = []
    for path in sorted(folder.iterdir(), reverse=True):
        if not (path / schema.MANIFEST).is_file():
            continue
        try:
            entries.append(RunEntry(path, load_run(path)))
        except PetLensError as e:
            entries.append(RunEntry(path, None, str(e)))
    return entries


def find_run(name_or_path, folder=None) -> Run:
    """A run folder path, or the name / id (or a unique id prefix) of a run in ``folder``
    (default ``./petlens-runs``)."""
    folder = Path(RUNS_FOLDER if folder is None else folder)
    path = Path(name_or_path)
    if path.is_dir():
        return load_run(path)
    name = str(name_or_path)
    candidates = sorted(folder.glob(f"{name}*")) if folder.is_dir() else []
    exact = [p for p in candidates if p.name == name]
    if exact or len(candidates) == 1:
        return load_run((exact or candidates)[0])
    if len(candidates) > 1:
        names = ", ".join(p.name for p in candidates[:5])
        raise PetLensError(f"{name!r} matches several runs: {names}")
    raise PetLensError(f"no run {name!r}: not a folder, nor a run in {folder}/")
