"""Corrupt, hand-edited or hostile run folders are refused with a clear PetLensError."""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from petlens import PetLensError, load_run


@pytest.fixture
def run_copy(session_run, tmp_path):
    """A writable copy of a real recorded run folder."""
    return shutil.copytree(session_run["lens"].path, tmp_path / "run")


def edit_manifest(run_dir, change):
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    change(manifest)
    path.write_text(json.dumps(manifest))


def rewrite_npz(path, **changes):
    with np.load(path) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays.update(changes)
    np.savez(path, **arrays)


def test_a_good_copy_loads(run_copy):
    assert load_run(run_copy).preds is not None


def test_missing_folder(tmp_path):
    with pytest.raises(PetLensError, match="not a run folder"):
        load_run(tmp_path / "nope")


def test_missing_manifest(run_copy):
    (run_copy / "manifest.json").unlink()
    with pytest.raises(PetLensError, match=r"manifest\.json: file is missing"):
        load_run(run_copy)


def test_truncated_manifest(run_copy):
    path = run_copy / "manifest.json"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(PetLensError, match=r"manifest\.json: not valid JSON"):
        load_run(run_copy)


@pytest.mark.parametrize(("change", "message"), [
    (lambda m: m.update(complete="yes"), "field 'complete' must be bool"),
    (lambda m: m["data"].update(vocab=["cat", 3]), r"vocab\[1\] must be str"),
    (lambda m: m.pop("model"), "required field 'model' is missing"),
    (lambda m: m["phases"][0].update(status="exploded"), r"phases\[0\]\.status"),
    (lambda m: m["artefacts"]["preds"][0].update(phase="one"), "field 'phase' must be int"),
    (lambda m: m["artefacts"]["saliency"].update(status="done"),
     r"artefacts\.saliency: unknown status 'done'"),
    (lambda m: m["artefacts"]["saliency"].update(done=99), r"done \(99\) must be within"),
    (lambda m: m["artefacts"]["saliency"].update(order="gradcam"),
     "field 'order' must be list"),
], ids=["bool", "vocab", "missing", "status", "phase", "saliency-status", "saliency-done",
        "saliency-order"])
def test_hand_edited_manifest(run_copy, change, message):
    edit_manifest(run_copy, change)
    with pytest.raises(PetLensError, match=message) as info:
        load_run(run_copy)
    assert "manifest.json" in str(info.value)


def test_unknown_major_schema_is_refused_newer_minor_loads(run_copy):
    edit_manifest(run_copy, lambda m: m.update(schema="petlens.run/1.7"))
    assert load_run(run_copy).complete
    edit_manifest(run_copy, lambda m: m.update(schema="petlens.run/2"))
    with pytest.raises(PetLensError, match="major version 2"):
        load_run(run_copy)


def test_timeline_array_of_wrong_shape(run_copy):
    with np.load(run_copy / "timeline.npz") as npz:
        lrs = npz["lrs"]
    rewrite_npz(run_copy / "timeline.npz", lrs=lrs[:, :2])
    with pytest.raises(PetLensError, match=r"timeline\.npz: .*differ in width"):
        load_run(run_copy)
    rewrite_npz(run_copy / "timeline.npz", lrs=lrs, loss=np.zeros(3, np.float32))
    with pytest.raises(PetLensError, match=r"timeline\.npz: array 'loss' has 3 rows"):
        load_run(run_copy)


def test_preds_of_wrong_width_or_dtype(run_copy):
    preds_file = run_copy / load_run(run_copy).pred_sets[-1]["file"]
    with np.load(preds_file) as npz:
        probs, targets = npz["probs"], npz["targets"]
    rewrite_npz(preds_file, probs=probs[:, :-1])
    with pytest.raises(PetLensError, match="columns but the vocab"):
        load_run(run_copy)
    rewrite_npz(preds_file, probs=probs, targets=targets.astype(np.float32))
    with pytest.raises(PetLensError, match="array 'targets' has dtype float32"):
        load_run(run_copy)


def test_pickled_object_array_is_refused_not_executed(run_copy, tmp_path):
    marker = tmp_path / "executed"

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    preds_file = run_copy / load_run(run_copy).pred_sets[-1]["file"]
    rewrite_npz(preds_file, items=np.array([Boom()], dtype=object))
    with pytest.raises(PetLensError, match="pickled object array"):
        load_run(run_copy)
    assert not marker.exists()


@pytest.mark.parametrize("bad", ["../../etc/passwd", "/etc/passwd", "thumbs/../../x.npz"])
def test_paths_leaving_the_run_folder(run_copy, bad):
    edit_manifest(run_copy, lambda m: m["artefacts"].update(timeline=bad))
    with pytest.raises(PetLensError, match=r"timeline: path .* (leaves|absolute)"):
        load_run(run_copy)


def test_symlink_out_of_the_run_folder(run_copy, tmp_path):
    outside = tmp_path / "outside.npz"
    shutil.copy(run_copy / "timeline.npz", outside)
    (run_copy / "timeline.npz").unlink()
    (run_copy / "timeline.npz").symlink_to(outside)
    with pytest.raises(PetLensError, match="outside the run folder"):
        load_run(run_copy)


def test_missing_thumbnail(run_copy):
    next((run_copy / "thumbs").iterdir()).unlink()
    with pytest.raises(PetLensError, match=r"thumbnail .* is missing"):
        load_run(run_copy)


@pytest.mark.parametrize("file, message", [
    ("details/gone.jpg", r"details: detail image 'gone\.jpg' of 'a\.jpg' is missing"),
    ("../../x.jpg", r"detail image of 'a\.jpg': path .* leaves"),
    (3, r"artefacts\.details\.items\['a\.jpg'\] must be a string path"),
])
def test_bad_detail_images(run_copy, file, message):
    edit_manifest(run_copy, lambda m: m["artefacts"].update(
        details={"phase": 1, "items": {"a.jpg": file}}))
    with pytest.raises(PetLensError, match=message):
        load_run(run_copy)


def test_lr_find_json_with_wrong_values(run_copy):
    path = run_copy / "lr_find.json"
    doc = json.loads(path.read_text())
    doc["calls"][0]["lrs"] = ["fast", "slow"]
    path.write_text(json.dumps(doc))
    with pytest.raises(PetLensError, match=r"lr_find\.json: calls\[0\]: 'lrs' must be a list"):
        load_run(run_copy)


def test_run_files_get_ordinary_permissions(session_run):
    report = session_run["lens"].run.export_html(session_run["lens"].path / "shared.html")
    assert report.stat().st_mode & 0o044 == 0o044  # readable by the group and others


def test_corrupt_label_issue_cache_is_refused_naming_it(run_copy):
    load_run(run_copy).label_issues  # noqa: B018 -- writes label_issues.npz
    cache = run_copy / "label_issues.npz"
    with np.load(cache) as npz:
        flags = npz["flags"]
    rewrite_npz(cache, flags=flags.astype(np.float32))
    with pytest.raises(PetLensError, match=r"label_issues\.npz: array 'flags' has dtype float32"):
        load_run(run_copy)
    rewrite_npz(cache, flags=flags, meta=np.array(["{not json"]))
    with pytest.raises(PetLensError, match=r"label_issues\.npz: meta: not valid JSON"):
        load_run(run_copy).label_issues  # noqa: B018 -- the arrays are read when asked for
    rewrite_npz(cache, meta=np.array(['{"preds": 3}']))
    with pytest.raises(PetLensError, match=r"label_issues\.npz: meta: field 'preds' must be"):
        load_run(run_copy).label_issues  # noqa: B018


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(run="someone-else"), "belong to run 'someone-else'"),
    (lambda d: d.update(schema="petlens.fixes/2"), "upgrade petlens"),
    (lambda d: d["decisions"][0].update(item="../../etc/passwd"), r"leaves the data folder"),
    (lambda d: d["decisions"][0].update(action="burn"), "unknown action 'burn'"),
], ids=["other-run", "schema", "dotdot", "action"])
def test_bad_fixes_json_is_refused_naming_the_field(run_copy, change, message):
    run = load_run(run_copy)
    run.fixes.set(str(run.preds.items[0]), "delete")
    path = run_copy / "fixes.json"
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc))
    with pytest.raises(PetLensError, match=message) as info:
        load_run(run_copy)
    assert "fixes.json" in str(info.value)
