"""Which runs this Python process has recorded, newest last (for ``%petlens``)."""

from __future__ import annotations

import weakref
from pathlib import Path

_recorded: list[tuple[Path, weakref.ref]] = []


def note(lens) -> None:
    """Remember that ``lens`` started recording into ``lens.path``."""
    _recorded.append((lens.path, weakref.ref(lens)))


def latest():
    """``(path, lens or None)`` of the newest run recorded in this process, or ``None``."""
    if not _recorded:
        return None
    path, ref = _recorded[-1]
    return path, ref()
