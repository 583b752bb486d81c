"""A fit that is interrupted, cancelled or fails leaves a readable, partial run."""

from __future__ import annotations

import pytest
from fastai.callback.core import Callback, CancelFitException

from petlens import PetLens, load_run


class StopAt(Callback):
    """Raise ``exc`` in ``after_batch`` of training batch ``batch`` of epoch ``epoch``."""

    order = 100  # after PetLens, which has recorded this batch by then

    def __init__(self, epoch, batch, exc):
        self.at, self.exc = (epoch, batch), exc

    def after_batch(self):
        if self.learn.training and (self.learn.epoch, self.learn.iter) == self.at:
            raise self.exc


def test_exception_mid_epoch_leaves_partial_run_and_next_fit_continues(make_learner, tmp_path):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs")
    learn.add_cb(lens)
    n = len(learn.dls.train)
    with pytest.raises(RuntimeError, match="disk on fire"):
        learn.fit(3, 1e-3, cbs=StopAt(1, 2, RuntimeError("disk on fire")))
    partial = load_run(lens.path)  # straight from disk, nothing closed yet
    assert partial.complete is False
    assert partial.phases[0]["status"] == "running"
    assert len(partial.timeline) == n  # the finished epoch is on disk
    assert partial.preds is not None and partial.preds.epoch == 0

    learn.fit(1, 1e-3)  # fitting again continues the same run as a new phase
    run = load_run(lens.path)
    assert [p["status"] for p in run.phases] == ["interrupted", "finished"]
    assert run.complete is True
    assert len(run.timeline) == n + 3 + n  # the interrupted epoch's 3 batches were kept
    assert list(run.timeline.phase).count(0) == n + 3
    assert [p["phase"] for p in run.pred_sets] == [0, 1]


def test_keyboard_interrupt_in_a_notebook_cell_is_saved_when_the_cell_ends(make_learner,
                                                                             tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs")
    learn.add_cb(lens)
    shell.user_ns.update(learn=learn, StopAt=StopAt)
    result = shell.run_cell("learn.fit(2, 1e-3, cbs=StopAt(1, 1, KeyboardInterrupt()))")
    assert isinstance(result.error_in_exec, KeyboardInterrupt)
    run = load_run(lens.path)
    assert run.complete is False
    assert run.phases[0]["status"] == "interrupted"
    assert len(run.timeline) == len(learn.dls.train) + 2
    assert run.timeline.events[-1]["kind"] == "fit_end"
    assert not list(lens.path.rglob("*.tmp"))


def test_cancel_fit_exception_marks_the_run_partial(make_learner, tmp_path):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs")
    learn.add_cb(lens)
    learn.fit(3, 1e-3, cbs=StopAt(1, 0, CancelFitException()))
    run = load_run(lens.path)
    assert run.complete is False
    assert run.phases[0]["status"] == "cancelled"
    assert len(run.timeline) == len(learn.dls.train) + 1
    assert [e["epoch"] for e in run.timeline.epochs] == [0]
