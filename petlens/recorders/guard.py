"""Close fits that never reached ``after_fit`` (KeyboardInterrupt, an exception).

fastai calls no hook when a fit dies of an exception other than its ``Cancel*Exception``s,
so a fit still open when the notebook cell finishes (IPython's ``post_run_cell``) or when
the interpreter exits is saved as interrupted. Nothing is patched; both hooks are
registered lazily, once, the first time a fit starts.
"""

from __future__ import annotations

import atexit
import weakref

_open_sessions: weakref.WeakSet = weakref.WeakSet()
_registered = {"atexit": False, "ipython": None}


def watch(session) -> None:
    """Mark ``session`` as inside a fit until :func:`unwatch`."""
    _open_sessions.add(session)
    _register_hooks()


def unwatch(session) -> None:
    _open_sessions.discard(session)


def close_open_fits(*_args) -> None:
    """Save every fit that is still open as interrupted."""
    for session in list(_open_sessions):
        session.interrupted()


def _register_hooks() -> None:
    if not _registered["atexit"]:
        atexit.register(close_open_fits)
        _registered["atexit"] = True
    shell = _ipython()
    if shell is not None and _registered["ipython"] is not shell:
        shell.events.register("post_run_cell", close_open_fits)
        _registered["ipython"] = shell


def _ipython():
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()
