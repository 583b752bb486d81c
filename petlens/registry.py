"""Which runs this Python process has recorded, newest last (for ``%petlens``), and the work
still pending on them (saliency maps computed in the background, awaited by a report)."""

from __future__ import annotations

import weakref
from pathlib import Path

_recorded: list[tuple[Path, weakref.ref]] = []
_pending: dict[Path, weakref.WeakMethod] = {}


def note(lens) -> None:
    """Remember that ``lens`` started recording into ``lens.path``."""
    _recorded.append((lens.path, weakref.ref(lens)))


def latest():
    """``(path, lens or None)`` of the newest run recorded in this process, or ``None``."""
    if not _recorded:
        return None
    path, ref = _recorded[-1]
    return path, ref()


def note_pending(path, wait) -> None:
    """``wait(timeout=None)`` (a bound method, held weakly) waits for the work still pending
    on the run folder ``path`` in this process."""
    _pending[Path(path).resolve()] = weakref.WeakMethod(wait)


def wait_for_pending(path, timeout: float | None = None) -> bool:
    """Wait for the work pending on run folder ``path`` in this process (none: at once);
    whether none is left."""
    ref = _pending.get(Path(path).resolve())
    wait = None if ref is None else ref()
    return True if wait is None else wait(timeout)
