"""PetLens behaves like a well-mannered fastai callback."""

from __future__ import annotations

import numpy as np
import pytest
from fastai.learner import load_learner

from petlens import PetLens, PetLensError, load_run


def test_export_pickles_no_recorded_state(make_learner, tmp_path):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs")
    learn.add_cb(lens)
    learn.fit(1, 1e-3)
    learn.path.mkdir(parents=True, exist_ok=True)
    learn.export("with_lens.pkl")
    learn.remove_cb(lens)
    learn.export("without_lens.pkl")
    with_lens = (learn.path / "with_lens.pkl").stat().st_size
    without = (learn.path / "without_lens.pkl").stat().st_size
    assert with_lens - without < 2_000  # only the options travel, never the run data

    loaded = load_learner(learn.path / "with_lens.pkl")
    assert loaded.pet_lens.path is None  # a fresh session: it records a new run if trained
    assert lens.run.complete  # the original run is untouched


def test_callbacks_added_and_removed_between_fits(make_learner, tmp_path):
    from fastai.callback.tracker import SaveModelCallback

    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs")
    learn.add_cb(lens)
    learn.fit(1, 1e-3)
    learn.remove_cb(lens)
    learn.fit(1, 1e-3)  # not recorded
    learn.add_cb(lens)
    learn.fit(1, 1e-3, cbs=SaveModelCallback(fname="best"))
    run = lens.run
    assert len(run.phases) == 2
    assert "SaveModelCallback" in run.phases[1]["callbacks"]
    assert len(run.timeline) == 2 * len(learn.dls.train)


def test_mixed_precision_callbacks_record(make_learner, tmp_path):
    learn = make_learner().to_fp16()
    lens = PetLens(path=tmp_path / "runs")
    learn.add_cb(lens)
    learn.fit(1, 1e-3)
    run = lens.run
    assert run.manifest["mixed_precision"] is True
    assert run.preds.probs.dtype == np.float16
    np.testing.assert_allclose(run.preds.probs.astype(np.float32).sum(1), 1, atol=5e-3)
    assert np.isfinite(run.timeline.loss).all()


def test_every_epoch_keeps_each_epoch(make_learner, tmp_path):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", preds="every_epoch")
    learn.add_cb(lens)
    learn.fit(2, 1e-3)
    run = lens.run
    assert [(p["phase"], p["epoch"]) for p in run.pred_sets] == [(0, 0), (0, 1)]
    first, last = run.load_preds(0), run.load_preds(-1)
    assert first.epoch == 0 and last.epoch == 1
    assert not np.array_equal(first.probs, last.probs)  # the model changed in between
    error = np.mean(first.decoded != first.targets)
    assert run.timeline.epochs[0]["error_rate"] == pytest.approx(error)


def test_new_run_and_two_learners_get_separate_runs(make_learner, tmp_path):
    runs = tmp_path / "runs"
    a, b = make_learner(), make_learner()
    lens_a, lens_b = PetLens(path=runs), PetLens(path=runs)
    a.add_cb(lens_a)
    b.add_cb(lens_b)
    a.fit(1, 1e-3)
    b.fit(1, 1e-3)
    first = lens_a.path
    lens_a.new_run()
    a.fit(1, 1e-3)
    paths = {first, lens_a.path, lens_b.path}
    ids = {load_run(p).id for p in paths}
    assert len(paths) == len(ids) == 3
    assert len(load_run(first).phases) == 1


def test_named_runs_never_overwrite(make_learner, tmp_path):
    learn = make_learner()
    for _ in range(2):
        learn.add_cb(PetLens(path=tmp_path / "runs", name="pets"))
        learn.fit(1, 1e-3)
        learn.remove_cb(PetLens)
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["pets", "pets-2"]


def test_bad_options_and_reading_too_early():
    with pytest.raises(PetLensError, match="preds='sometimes'"):
        PetLens(preds="sometimes")
    with pytest.raises(PetLensError, match="thumb_size"):
        PetLens(thumb_size=4)
    with pytest.raises(PetLensError, match="recorded nothing yet"):
        PetLens().run  # noqa: B018


def test_get_preds_and_validate_are_not_recorded(make_learner, tmp_path):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs")
    learn.add_cb(lens)
    learn.fit(1, 1e-3)
    lens.wait_for_saliency(progress=False)  # its maps are written in the background
    before = (lens.path / "manifest.json").read_text()
    learn.get_preds()
    learn.validate()
    assert (lens.path / "manifest.json").read_text() == before


def test_a_learner_trained_before_recording_says_so(make_learner, tmp_path):
    from petlens.views.summary import run_summary

    learn = make_learner()
    learn.fit(1, 1e-3)  # chapter 5 without petlens, then the user adds it
    lens = PetLens(path=tmp_path / "runs", saliency=None)
    learn.add_cb(lens)
    with pytest.warns(UserWarning, match=r"trained before PetLens was added \(about 1 epoch, "):
        learn.fit(1, 1e-3)
    run = load_run(lens.path)
    per_epoch = len(learn.dls.train)
    assert run.manifest["earlier_training"] == {"iterations": per_epoch, "epochs": 1.0}
    training = dict(run_summary(run))["Training"]
    assert training.startswith(f"lr_find ×0 · recording started after ~1 epoch, {per_epoch} "
                               "iterations of earlier training · fit 1: 1 epoch(s)")

    fresh = make_learner()
    fresh_lens = PetLens(path=tmp_path / "fresh", saliency=None)
    fresh.add_cb(fresh_lens)
    fresh.fit(1, 1e-3)
    assert "earlier_training" not in load_run(fresh_lens.path).manifest
