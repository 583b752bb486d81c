"""The house rules of docs/ARCHITECTURE.md, checked on the code itself: the import contract
(import-linter) holds and refuses a new upward import; the dashboard's panel list is the one
source of what a whole-run view shows."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the ``petlens`` package found first on the path from ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config",
                           str(root / "pyproject.toml")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def source_copy(tmp_path):
    """The package's Python sources and pyproject.toml, copied to ``tmp_path``."""
    shutil.copytree(ROOT / "petlens", tmp_path / "petlens",
                    ignore=shutil.ignore_patterns("static", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_the_import_contract_holds(source_copy):
    result = lint_imports(source_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(("module", "planted", "complaint"), [
    # the contract importing a front end, even lazily inside a function
    ("schema.py", "from .widgets import Dashboard",
     "petlens.schema is not allowed to import petlens.widgets"),
    # a view model importing fastai (through a module that imports torch)
    ("views/orders.py", "from ..recorders import preds",
     "petlens.views is not allowed to import petlens.recorders"),
])
def test_a_new_upward_import_breaks_the_contract(source_copy, module, planted, complaint):
    path = source_copy / "petlens" / module
    path.write_text(path.read_text() + f"\n\ndef _planted():\n    {planted}  # noqa\n")
    result = lint_imports(source_copy)
    assert result.returncode != 0
    assert complaint in result.stdout


def test_the_dashboard_follows_its_panel_list(session_run, monkeypatch):
    """A panel added to PANELS reaches the state the front end lays out (``panels`` and its
    prefixed traits) and the static picture, with no other change."""
    from petlens.views import dashboard
    from petlens.views.dashboard import DashboardView

    run = session_run["lens"].run
    prefixes = [panel.prefix for panel in dashboard.PANELS]
    extra = replace(dashboard.PANELS[-1], key="timeline", prefix="again_",
                    heading="The timeline again")
    monkeypatch.setattr(dashboard, "PANELS", (*dashboard.PANELS, extra))

    view = DashboardView.from_run(run)
    state = view.state()
    assert [p["prefix"] for p in state["panels"]] == [*prefixes, "again_"]
    assert state["again_loss"] is state["time_loss"] or (
        state["again_loss"] == state["time_loss"]).all()
    view.plot()
    titles = [ax.get_title() for ax in view.fig_.axes if ax.get_title()]
    assert sum(title == "Unfreezing timeline" for title in titles) == 2
