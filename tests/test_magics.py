"""``%load_ext petlens`` and ``%petlens`` in a real IPython shell."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

from petlens.widgets import Dashboard


@pytest.fixture(scope="module")
def shell():
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "petlens")
    return ip


def test_latest_run_of_this_kernel(shell, session_run):
    dash = shell.run_line_magic("petlens", "")
    assert isinstance(dash, Dashboard)
    from petlens import registry

    latest_path, _ = registry.latest()
    assert dash.title.endswith(latest_path.name)


def test_run_by_path_and_by_name(shell, session_run, monkeypatch):
    path = session_run["lens"].path
    assert shell.run_line_magic("petlens", str(path)).title.endswith(path.name)
    monkeypatch.chdir(path.parent.parent)  # so that ./runs holds the run
    monkeypatch.setattr("petlens.runs.RUNS_FOLDER", path.parent.relative_to(path.parent.parent))
    assert shell.run_line_magic("petlens", path.name[:10]).title.endswith(path.name)


def test_runs_table(shell, session_run):
    table = shell.run_line_magic("petlens", f"runs {session_run['lens'].path.parent}")
    row = table.iloc[0]
    assert row["run"] == session_run["lens"].path.name
    assert row["state"] == "complete" and row["fits"] == 2 and row["model"] == "resnet18"


@pytest.mark.parametrize("line", ["--help me", "auto on please", "runs a b c", "'unclosed"])
def test_unknown_arguments_print_usage(shell, line, capsys):
    assert shell.run_line_magic("petlens", line) is None
    assert "%petlens NAME_OR_PATH" in capsys.readouterr().out


def test_missing_run_is_a_message_not_a_traceback(shell, capsys):
    assert shell.run_line_magic("petlens", "no-such-run-anywhere") is None
    assert "no run 'no-such-run-anywhere'" in capsys.readouterr().out


def test_auto_attaches_petlens_to_new_learners(shell, make_learner, capsys):
    from petlens import PetLens

    shell.run_line_magic("petlens", "auto")
    try:
        assert any(isinstance(cb, PetLens) for cb in make_learner().cbs)
    finally:
        shell.run_line_magic("petlens", "auto off")
    assert not any(isinstance(cb, PetLens) for cb in make_learner().cbs)
    assert "every new Learner records" in capsys.readouterr().out
