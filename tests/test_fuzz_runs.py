"""Property-based: any mutation of a real run's manifest or arrays gives a loaded run or a
PetLensError naming the file; never another exception, never code execution."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from petlens import PetLensError, load_run
from petlens.report import build_html

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6),
                                                                      children, max_size=3),
    max_leaves=6,
)
SETTINGS = settings(max_examples=100, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def pristine(session_run, tmp_path_factory):
    return shutil.copytree(session_run["lens"].path, tmp_path_factory.mktemp("fuzz") / "run")


@pytest.fixture(scope="module")
def pristine_top_k(dls, tmp_path_factory):
    """A run whose predictions use top-k storage (2 of the 4 classes kept per item)."""
    from fastai.vision.all import resnet18, vision_learner

    from petlens import PetLens

    tmp = tmp_path_factory.mktemp("fuzz-top-k")
    learn = vision_learner(dls, resnet18, pretrained=False, path=tmp / "learn")
    learn.remove_cb(learn.progress)
    lens = PetLens(path=tmp / "runs", name="run", probs_top_k=2, saliency=None)
    learn.add_cb(lens)
    learn.fit(1, 1e-3)
    return lens.path


def fresh_copy(pristine: Path, name: str) -> Path:
    target = pristine.parent / name
    shutil.rmtree(target, ignore_errors=True)
    return shutil.copytree(pristine, target)


def json_paths(value, prefix=()):
    """Every (path, value) inside a JSON document."""
    yield prefix, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from json_paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from json_paths(child, (*prefix, i))


def load_or_refuse(run_dir: Path) -> None:
    """The contract: loading, the views and the report work, or say PetLensError."""
    try:
        run = load_run(run_dir)
        build_html(run)
    except PetLensError as e:
        assert str(e)


@SETTINGS
@given(data=st.data())
def test_mutated_manifest(pristine, data):
    run_dir = fresh_copy(pristine, "manifest")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    paths = [p for p, _ in json_paths(manifest) if p]
    path = data.draw(st.sampled_from(paths))
    parent = manifest
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(JSON_VALUES)
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    load_or_refuse(run_dir)


@SETTINGS
@given(data=st.data())
def test_mutated_arrays(pristine, data):
    run_dir = fresh_copy(pristine, "arrays")
    mutate_an_array(data, sorted(run_dir.rglob("*.npz")))
    load_or_refuse(run_dir)


@SETTINGS
@given(data=st.data())
def test_mutated_top_k_predictions(pristine_top_k, data):
    run_dir = fresh_copy(pristine_top_k, "top-k")
    mutate_an_array(data, sorted(run_dir.rglob("preds/*.npz")))
    load_or_refuse(run_dir)


def mutate_an_array(data, files) -> None:
    """Drop, truncate, retype, reshape, ... one array of one of ``files``, in place."""
    target = data.draw(st.sampled_from(files))
    with np.load(target) as npz:
        arrays = {k: npz[k] for k in npz.files}
    key = data.draw(st.sampled_from(sorted(arrays)))
    mutation = data.draw(st.sampled_from(["drop", "truncate", "retype", "reshape", "object",
                                          "nan", "negative"]))
    arr = arrays[key]
    if mutation == "drop":
        del arrays[key]
    elif mutation == "truncate":
        arrays[key] = arr[: max(len(arr) - 1, 0)]
    elif mutation == "retype":
        try:
            arrays[key] = arr.astype(data.draw(st.sampled_from(["f4", "i8", "U3", "?"])))
        except ValueError:  # e.g. file names to floats: not a mutation numpy can make
            assume(False)
    elif mutation == "reshape":
        arrays[key] = arr.reshape(-1) if arr.ndim > 1 else arr.reshape(-1, 1)
    elif mutation == "object":
        arrays[key] = np.array([{"x": 1}] * max(len(arr), 1), dtype=object)
    elif mutation == "nan" and arr.dtype.kind == "f":
        arrays[key] = np.full_like(arr, np.nan)
    elif mutation == "negative" and arr.dtype.kind in "iu":
        arrays[key] = np.full_like(arr, -1) if arr.dtype.kind == "i" else arr
    np.savez(target, **arrays)


@SETTINGS
@given(cut=st.integers(0, 5000), which=st.sampled_from(["manifest.json", "lr_find.json",
                                                          "timeline.npz"]))
def test_truncated_files(pristine, cut, which):
    run_dir = fresh_copy(pristine, "truncated")
    path = run_dir / which
    data = path.read_bytes()
    path.write_bytes(data[: min(cut, len(data) - 1)])
    load_or_refuse(run_dir)
