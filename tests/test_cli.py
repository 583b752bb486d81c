"""``petlens demo`` and ``petlens ls`` end to end, on a small setting."""

from __future__ import annotations

import pytest

from petlens import load_run
from petlens.cli import main


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PETLENS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_demo_trains_records_and_summarises(tmp_path, cache, capsys):
    out = tmp_path / "runs"
    code = main(["demo", "--out", str(out), "--classes", "3", "--per-class", "10",
                 "--epochs", "1", "--size", "32"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "pretrained=False" in printed  # no weights can be downloaded here
    (run_dir,) = out.iterdir()
    run = load_run(run_dir)
    assert run.complete and len(run.lr_finds) == 1 and len(run.phases) == 2
    assert len(run.vocab) == 3
    assert f"error rate {run.error_rate:.1%}" in printed
    assert str(run.path) in printed
    assert list(cache.iterdir())  # the synthetic data is cached for the next demo

    assert main(["ls", str(out)]) == 0
    listing = capsys.readouterr().out
    assert run_dir.name in listing and "complete" in listing


def test_demo_refuses_a_folder_that_is_not_pets(tmp_path, capsys):
    assert main(["demo", "--data", str(tmp_path), "--out", str(tmp_path / "runs")]) == 2
    assert "expected a folder with an 'images' folder" in capsys.readouterr().err


def test_demo_refuses_an_unknown_arch(tmp_path, cache, capsys):
    assert main(["demo", "--arch", "resnet9000", "--out", str(tmp_path / "runs")]) == 2
    assert "resnet9000" in capsys.readouterr().err


def test_ls_on_a_missing_folder(tmp_path, capsys):
    assert main(["ls", str(tmp_path / "none")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_help_is_plain_text(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "petlens demo" in text and "``" not in text and ":func:" not in text
