"""``%load_ext petlens`` and the ``%petlens`` line magic."""

from __future__ import annotations

import shlex

from . import registry
from .errors import PetLensError
from .run import load_run
from .run_folder import RUNS_FOLDER
from .runs import find_run, list_runs

USAGE = f"""\
%petlens                 dashboard of the latest run recorded in this kernel
%petlens NAME_OR_PATH    dashboard of a run folder, or of a run name / id in ./{RUNS_FOLDER}
%petlens runs [FOLDER]   table of the runs in FOLDER (default ./{RUNS_FOLDER})
%petlens compare A B     compare run B with run A item by item (folders, names or ids)
%petlens report [PATH]   write the HTML report of the latest run (to PATH, or into the run)
%petlens auto            attach PetLens to every Learner created from now on in this kernel
%petlens auto off        stop doing that"""


def petlens_magic(line: str = ""):
    """The ``%petlens`` line magic (see ``USAGE``); unknown arguments print the usage."""
    try:
        args = shlex.split(line)
    except ValueError:
        args = ["--bad-quoting"]
    try:
        return _dispatch(args)
    except PetLensError as e:
        print(f"petlens: {e}")
    return None


def _dispatch(args: list[str]):
    if not args:
        return _latest_dashboard()
    if args == ["auto"]:
        return _auto(True)
    if args == ["auto", "off"]:
        return _auto(False)
    if args[0] == "report" and len(args) <= 2:
        return _report(args[1] if len(args) == 2 else None)
    if args[0] == "runs" and len(args) <= 2:
        return runs_table(args[1] if len(args) == 2 else None)
    if args[0] == "compare" and len(args) == 3:
        from .compare import compare

        return compare(find_run(args[1]), find_run(args[2])).show()
    if len(args) == 1 and not args[0].startswith("-"):
        return find_run(args[0]).show()
    print(USAGE)
    return None


def _latest():
    latest = registry.latest()
    if latest is None:
        raise PetLensError("no run recorded in this kernel yet: add PetLens() to a Learner "
                           "and train, or name a run: %petlens NAME_OR_PATH")
    path, lens = latest
    return (lens.run, lens) if lens is not None and lens.path == path else (load_run(path), None)


def _latest_dashboard():
    run, lens = _latest()
    return lens.show() if lens is not None else run.show()


def _report(path):
    from IPython.display import FileLink

    run, _ = _latest()
    written = run.export_html(path)
    print(f"petlens: report written to {written}")
    return FileLink(str(written))


def runs_table(folder=None):
    """A pandas table of the runs in ``folder`` (default ``./petlens-runs``), newest first."""
    import pandas as pd

    return pd.DataFrame([entry.row() for entry in list_runs(folder)])


def _auto(on: bool):
    from fastai.learner import defaults

    from .callback import PetLens

    callbacks = [cb for cb in defaults.callbacks if cb is not PetLens]
    defaults.callbacks = [*callbacks, PetLens] if on else callbacks
    print("petlens: every new Learner records a run" if on
          else "petlens: new Learners no longer record automatically")


def load_ipython_extension(ipython) -> None:
    ipython.register_magic_function(petlens_magic, magic_kind="line", magic_name="petlens")
