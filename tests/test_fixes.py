"""The fix queue on disk: fixes.json decisions, merging writers, export and import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from runs_support import run_with_items

from petlens import PetLensError, load_run
from petlens.decisions import Decision, merge

VOCAB = ["Birman", "Ragdoll", "pug"]
N = 60


@pytest.fixture
def run(tmp_path):
    items = [f"{VOCAB[i % 3]}_{i}.jpg" for i in range(N)]
    return load_run(run_with_items(tmp_path / "runs", items, [VOCAB[i % 3] for i in range(N)],
                                   VOCAB))


def test_set_list_and_the_latest_decision_wins(run):
    first = run.fixes.set("Birman_0.jpg", "relabel", "pug")
    run.fixes.set("Ragdoll_1.jpg", "unsure", by="widget")
    assert [(d.item, d.action, d.label) for d in run.fixes] == [
        ("Birman_0.jpg", "relabel", "pug"), ("Ragdoll_1.jpg", "unsure", None)]
    run.fixes.set("Birman_0.jpg", "delete")
    assert run.fixes.get("Birman_0.jpg").action == "delete"
    # an older decision arriving later (a widget that was offline) does not win
    run.fixes.update([{"item": "Birman_0.jpg", "action": "keep", "decided": first.decided}])
    assert run.fixes.get("Birman_0.jpg").action == "delete"
    doc = json.loads((run.path / "fixes.json").read_text())
    assert doc["schema"] == "petlens.fixes/1" and doc["run"] == run.id
    assert len(doc["decisions"]) == 2


def test_merge_by_time_across_time_zones():
    a = Decision("x", "keep", None, "2026-11-28T10:00:00+01:00")  # 09:00 UTC
    b = Decision("x", "delete", None, "2026-11-28T09:30:00+00:00")
    assert merge([b], [a])[0].action == "delete" and merge([a], [b])[0].action == "delete"


def test_two_loaded_runs_writing_in_turn_lose_nothing(run):
    one, two = load_run(run.path).fixes, load_run(run.path).fixes
    for i in range(0, 20, 2):
        one.set(f"{VOCAB[i % 3]}_{i}.jpg", "keep")
        two.set(f"{VOCAB[(i + 1) % 3]}_{i + 1}.jpg", "delete")
    assert len(run.fixes) == 20


WRITER = f"""
import sys
from petlens import load_run
fixes = load_run(sys.argv[1]).fixes
vocab = ["Birman", "Ragdoll", "pug"]
for i in range(int(sys.argv[2]), {N}, 2):
    fixes.set(f"{{vocab[i % 3]}}_{{i}}.jpg", "unsure", by=f"writer{{sys.argv[2]}}")
"""


def test_two_processes_writing_at_once_lose_nothing(run):
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(run.path), str(start)])
               for start in (0, 1)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    decisions = run.fixes.list()
    assert len(decisions) == N  # every one of the 60 read-merge-writes kept
    assert {d.by for d in decisions} == {"writer0", "writer1"}


def test_export_and_import_json_and_csv(run, tmp_path):
    run.fixes.set("Birman_0.jpg", "relabel", "Ragdoll")
    run.fixes.set("pug_2.jpg", "delete")
    json_file, csv_file = run.fixes.export_json(tmp_path / "f.json"), run.fixes.export_csv(
        tmp_path / "f.csv")
    assert csv_file.read_text().splitlines()[1].startswith("Birman_0.jpg,Birman,Ragdoll,relabel,")
    (run.path / "fixes.json").unlink()
    assert run.fixes.import_file(csv_file) == 2
    from_csv = [(d.item, d.action, d.label, d.decided) for d in run.fixes]
    (run.path / "fixes.json").unlink()
    assert run.fixes.import_file(json_file) == 2
    assert [(d.item, d.action, d.label, d.decided) for d in run.fixes] == from_csv
    assert from_csv[0][:3] == ("Birman_0.jpg", "relabel", "Ragdoll")


def test_a_report_csv_with_only_the_four_columns_is_read(run, tmp_path):
    path = tmp_path / "report-export.csv"
    path.write_text("item,old_label,new_label,action\nRagdoll_1.jpg,Ragdoll,pug,relabel\n")
    assert run.fixes.import_file(path) == 1
    assert run.fixes.get("Ragdoll_1.jpg").label == "pug"


@pytest.mark.parametrize("content, message", [
    ("item,old_label,new_label,action\nRagdoll_1.jpg,pug,Birman,relabel\n",
     r"line 2: old_label 'pug' of 'Ragdoll_1\.jpg' is not its label in this run"),
    ("item,action,run\nRagdoll_1.jpg,keep,someone-else\n", "belong to run 'someone-else'"),
    ("item,new_label,action\nRagdoll_1.jpg,cat,relabel\n", "label 'cat' is not a class"),
    ("item,action\nRagdoll_1.jpg,burn\n", "unknown action 'burn'"),
    ("name,action\nx,keep\n", r"missing column\(s\) \['item'\]"),
])
def test_bad_csv_imports_are_refused(run, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(PetLensError, match=message):
        run.fixes.import_file(path)
    assert not (run.path / "fixes.json").exists()


@pytest.mark.parametrize("decision, message", [
    ({"item": "pug_2.jpg", "action": "relabel", "decided": "2026-11-28T10:00:00+00:00"},
     "needs a 'label'"),
    ({"item": "pug_2.jpg", "action": "keep", "label": "pug",
      "decided": "2026-11-28T10:00:00+00:00"}, "only relabel takes a 'label'"),
    ({"item": "pug_2.jpg", "action": "keep", "decided": "2026-11-28T10:00:00"},
     "needs a time zone"),
    ({"item": "pug_2.jpg", "action": "keep", "decided": "yesterday"}, "not an ISO date-time"),
    ({"item": 3, "action": "keep", "decided": "2026-11-28T10:00:00+00:00"}, "must be str"),
])
def test_bad_decisions_are_refused_naming_the_field(run, decision, message):
    with pytest.raises(PetLensError, match=message):
        run.fixes.update([decision])


def test_a_read_only_run_folder_says_where_to_export(run, monkeypatch):
    import errno

    import petlens.decisions

    def read_only(*args):  # what a read-only file system answers (root ignores chmod)
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(petlens.decisions, "atomic_write_json", read_only)
    with pytest.raises(PetLensError, match=r"fixes\.json: cannot be written .*Read-only.*"
                                           r"export_json"):
        run.fixes.set("pug_2.jpg", "keep")
