"""Applying decisions to data folders: the three layouts, the undo log, exact undo, and every
refusal checked before anything moves."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from runs_support import run_with_items, snapshot

from petlens import PetLensError, load_run
from petlens.cli import main
from petlens.fix_apply import detect_layout

VOCAB = ["Birman", "Ragdoll", "pug"]


def _write_files(root, names, seed=0):
    rng = np.random.default_rng(seed)
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rng.bytes(200 + int(rng.integers(100))))


@pytest.fixture
def pets(tmp_path):
    """Pets naming: images/<Breed>_<n>.jpg; the run's items are all of them."""
    names = [f"{breed}_{n}.jpg" for breed in VOCAB for n in range(1, 5)]
    data = tmp_path / "pets" / "images"
    _write_files(data, names)
    (data.parent / "masks").mkdir()  # the data set's other folders are left alone
    labels = [name.rsplit("_", 1)[0] for name in names]
    run = load_run(run_with_items(tmp_path / "runs", names, labels, VOCAB))
    return run, data


@pytest.fixture
def folders(tmp_path):
    """One folder per class: valid/<class>/<name>.png."""
    names = [f"{c}/{c}{n}.png" for c in ("cat", "dog") for n in range(3)]
    data = tmp_path / "valid"
    _write_files(data, names)
    run = load_run(run_with_items(tmp_path / "runs", names, [n.split("/")[0] for n in names],
                                  ["cat", "dog", "fox"]))
    return run, data


def test_pets_apply_renames_and_removes_then_undo_restores_byte_identical(pets, capsys):
    run, data = pets
    before, birman_2 = snapshot(data), (data / "Birman_2.jpg").read_bytes()
    run.fixes.set("Birman_2.jpg", "relabel", "Ragdoll")
    run.fixes.set("pug_3.jpg", "delete")
    run.fixes.set("Ragdoll_1.jpg", "keep")
    run.fixes.set("pug_1.jpg", "unsure")
    run.fixes.set("Ragdoll_2.jpg", "relabel", "Ragdoll")  # its own label: nothing to do
    plan = run.fixes.apply(data, dry_run=True)
    out = capsys.readouterr().out
    assert "rename images/Birman_2.jpg -> images/Ragdoll_5.jpg" in out
    assert "remove images/pug_3.jpg -> petlens-removed/pug_3.jpg" in out
    assert "dry run: nothing changed" in out and len(plan.moves) == 2
    assert snapshot(data) == before and not (data.parent / "petlens-removed").exists()

    run.fixes.apply(data)
    assert not (data / "Birman_2.jpg").exists() and not (data / "pug_3.jpg").exists()
    assert (data / "Ragdoll_5.jpg").read_bytes() == birman_2
    assert (data.parent / "petlens-removed" / "pug_3.jpg").is_file()
    log = json.loads((data.parent / "petlens-removed" / f"undo-{run.id}.json").read_text())
    assert log["status"] == "applied" and len(log["moves"]) == 2

    run.fixes.undo(data)
    assert snapshot(data) == before
    assert not (data.parent / "petlens-removed" / "pug_3.jpg").exists()


def test_folders_apply_moves_between_class_folders_and_undo_removes_new_ones(folders):
    run, data = folders
    before = snapshot(data)
    run.fixes.update([
        {"item": "cat/cat1.png", "action": "relabel", "label": "dog",
         "decided": "2026-11-28T10:00:00+00:00"},
        {"item": "dog/dog2.png", "action": "relabel", "label": "fox",
         "decided": "2026-11-28T10:00:01+00:00"},
        {"item": "cat/cat0.png", "action": "delete", "decided": "2026-11-28T10:00:02+00:00"}])
    assert detect_layout(["cat/cat1.png"], ["cat"]) == "folders"
    run.fixes.apply(data, echo=lambda *_: None)
    assert (data / "dog" / "cat1.png").is_file() and (data / "fox" / "dog2.png").is_file()
    assert (data.parent / "petlens-removed" / "cat" / "cat0.png").is_file()
    run.fixes.undo(data, echo=lambda *_: None)
    assert snapshot(data) == before  # fox/ created by the apply is gone again


def test_unknown_layout_writes_a_csv_for_the_users_pipeline(tmp_path, capsys):
    items = ["0", "1", "2"]
    run = load_run(run_with_items(tmp_path / "runs", items, ["a", "b", "a"], ["a", "b"]))
    run.fixes.set("1", "relabel", "a")
    run.fixes.set("2", "delete")
    out_csv = tmp_path / "out.csv"
    run.fixes.apply(tmp_path / "table.csv", csv_path=out_csv)
    out = capsys.readouterr().out
    assert "petlens cannot tell how labels are stored" in out and "no file moved" in out
    assert out_csv.read_text().splitlines() == [
        "item,old_label,new_label,action", "1,b,a,relabel", "2,a,,delete"]


def _refused(run, data, match, **kwargs):
    before = snapshot(data.parent)
    with pytest.raises(PetLensError, match=match):
        run.fixes.apply(data, echo=lambda *_: None, **kwargs)
    assert snapshot(data.parent) == before  # nothing moved, no log written


def test_refuses_missing_files(pets):
    run, data = pets
    run.fixes.set("Birman_1.jpg", "delete")
    run.fixes.set("pug_2.jpg", "relabel", "Birman")
    (data / "pug_2.jpg").unlink()
    _refused(run, data, r"(?s)nothing was changed.*'pug_2\.jpg': file is missing")


def test_refuses_name_conflicts(folders):
    run, data = folders
    (data / "dog" / "cat1.png").write_bytes(b"another dog")
    run.fixes.set("cat/cat1.png", "relabel", "dog")
    _refused(run, data, r"name conflict: valid/dog/cat1\.png already exists")


def test_refuses_items_outside_the_data_root(pets, tmp_path):
    run, data = pets
    outside = tmp_path / "elsewhere.jpg"
    outside.write_bytes(b"x")
    (data / "pug_4.jpg").unlink()
    (data / "pug_4.jpg").symlink_to(outside)  # a link out of the data folder
    run.fixes.set("pug_4.jpg", "delete")
    _refused(run, data, "outside the data folder")
    assert outside.read_bytes() == b"x"


@pytest.mark.parametrize("item, message", [
    ("../pets/images/Birman_1.jpg", r"leaves the data folder \('\.\.'\)"),
    ("/etc/passwd", "is an absolute path"),
    ("Birman_99.jpg", "is not a validation item of this run"),
])
def test_refuses_bad_items_in_a_decisions_file(pets, tmp_path, item, message):
    run, data = pets
    hostile = tmp_path / "export.json"
    hostile.write_text(json.dumps({"schema": "petlens.fixes/1", "run": run.id, "decisions": [
        {"item": item, "action": "delete", "label": None,
         "decided": "2026-11-28T10:00:00+00:00"}]}))
    _refused(run, data, message, decisions_file=hostile)


def test_refuses_a_decisions_file_from_another_run(pets, tmp_path):
    run, data = pets
    run.fixes.set("Birman_1.jpg", "delete")
    other = tmp_path / "other.json"
    run.fixes.export_json(other)
    doc = json.loads(other.read_text())
    other.write_text(json.dumps({**doc, "run": "20261128-101500-ffffff"}))
    _refused(run, data, "belong to run '20261128-101500-ffffff', not to this run",
             decisions_file=other)


def test_refuses_a_data_folder_that_does_not_match_the_run(pets, tmp_path):
    run, _ = pets
    wrong = tmp_path / "other" / "images"
    _write_files(wrong, ["Birman_1.jpg", "pug_1.jpg"])
    run.fixes.set("Birman_1.jpg", "delete")
    _refused(run, wrong, r"does not match the run: 10 of its 12 validation items")


def test_refuses_to_apply_twice_and_undo_twice(pets):
    run, data = pets
    run.fixes.set("Birman_1.jpg", "relabel", "pug")
    quiet = dict(echo=lambda *_: None)
    run.fixes.apply(data, **quiet)
    with pytest.raises(PetLensError, match="already applied"):
        run.fixes.apply(data, **quiet)
    run.fixes.undo(data, **quiet)
    with pytest.raises(PetLensError, match="already undone"):
        run.fixes.undo(data, **quiet)
    run.fixes.apply(data, **quiet)  # after an undo it applies again
    assert (data / "pug_5.jpg").is_file()


def test_refuses_class_names_that_are_not_file_names(tmp_path):
    vocab = ["a", "../b"]
    data = tmp_path / "valid"
    _write_files(data, ["a/1.png", "a/2.png"])
    run = load_run(run_with_items(tmp_path / "runs", ["a/1.png", "a/2.png"], ["a", "a"], vocab))
    run.fixes.set("a/1.png", "relabel", "../b")
    _refused(run, data, r"class '\.\./b' cannot be a file or folder name")


def test_a_failure_half_way_moves_everything_back(pets, monkeypatch):
    run, data = pets
    before = snapshot(data)
    for name in ("Birman_1.jpg", "Birman_2.jpg", "Birman_3.jpg"):
        run.fixes.set(name, "delete")
    real_replace, calls = os.replace, []

    def failing_replace(src, dst):
        calls.append(src)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        run.fixes.apply(data, echo=lambda *_: None)
    monkeypatch.setattr(os, "replace", real_replace)
    assert snapshot(data) == before
    log = json.loads((data.parent / "petlens-removed" / f"undo-{run.id}.json").read_text())
    assert log["status"] == "undone"


def test_cli_lists_applies_and_undoes(pets, capsys):
    run, data = pets
    run.fixes.set("pug_1.jpg", "relabel", "Birman")
    before = snapshot(data)
    assert main(["fixes", str(run.path)]) == 0
    assert "relabel  pug_1.jpg (pug -> Birman)" in capsys.readouterr().out
    assert main(["fixes", "apply", str(run.path), "--data", str(data), "--dry-run"]) == 0
    assert "rename images/pug_1.jpg -> images/Birman_5.jpg" in capsys.readouterr().out
    assert snapshot(data) == before
    assert main(["fixes", "apply", str(run.path), "--data", str(data)]) == 0
    assert (data / "Birman_5.jpg").is_file()
    assert main(["fixes", "apply", str(run.path), "--data", str(data), "--undo"]) == 0
    assert snapshot(data) == before
    assert main(["fixes", "apply", str(run.path), "--data", str(data.parent)]) == 2
    assert "does not match the run" in capsys.readouterr().err
