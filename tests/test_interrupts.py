"""A fit that is interrupted, cancelled or fails leaves a readable, partial run."""

from __future__ import annotations

import errno
import warnings
from pathlib import Path

import pytest
from fastai.callback.core import Callback, CancelFitException

from petlens import PetLens, PetLensError, load_run, storage
from petlens.recorders import guard


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


# -- an exception or KeyboardInterrupt at each hook point --------------------------------


class RaiseAt(Callback):
    """Raise ``exc`` at one hook point of the next fit (ordered after PetLens).

    ``before_fit`` / ``after_fit``: in that event; ``valid_batch``: in the first validation
    batch of epoch 1 (epoch 0 finished and saved, epoch 1 trained).
    """

    order = 100

    def __init__(self, point, exc):
        self.point, self.exc = point, exc

    def before_fit(self):
        if self.point == "before_fit":
            raise self.exc

    def after_batch(self):
        if (self.point == "valid_batch" and not self.learn.training and self.learn.epoch == 1
                and self.learn.iter == 0):
            raise self.exc

    def after_fit(self):
        if self.point == "after_fit":
            raise self.exc


def tmp_files(path):
    return list(path.rglob("*.tmp"))


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt()],
                         ids=["exception", "keyboard_interrupt"])
@pytest.mark.parametrize("point", ["before_fit", "valid_batch", "after_fit"])
def test_interrupt_at_each_hook_point_leaves_a_readable_run(make_learner, tmp_path, point,
                                                            exc):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=())
    learn.add_cb(lens)
    n = len(learn.dls.train)
    learn.fit(1, 1e-3)  # a finished fit first: the run exists before the failing one
    with pytest.raises(type(exc)):
        learn.fit(2, 1e-3, cbs=RaiseAt(point, exc))

    partial = load_run(lens.path)  # straight from disk, before anything closes the fit
    assert not tmp_files(lens.path)
    statuses = [p["status"] for p in partial.phases]
    if point == "before_fit":  # the fit never started: nothing of it is recorded
        assert statuses == ["finished"] and partial.complete is True
        assert len(partial.timeline) == n
    elif point == "valid_batch":  # epoch 0 is on disk, the fit is still open
        assert statuses == ["finished", "running"] and partial.complete is False
        assert len(partial.timeline) == 2 * n
        assert (partial.preds.phase, partial.preds.epoch) == (1, 0)
        assert [(e["phase"], e["epoch"]) for e in partial.timeline.epochs] == [(0, 0), (1, 0)]
    else:  # PetLens closed the fit before the later callback failed: all of it is recorded
        assert statuses == ["finished", "finished"] and partial.complete is True
        assert len(partial.timeline) == 3 * n
        assert (partial.preds.phase, partial.preds.epoch) == (1, 1)

    guard.close_open_fits()  # what the end of a notebook cell or of the interpreter does
    closed = load_run(lens.path)
    assert not tmp_files(lens.path)
    if point == "valid_batch":
        assert [p["status"] for p in closed.phases] == ["finished", "interrupted"]
        assert closed.complete is False
        assert len(closed.timeline) == 3 * n  # epoch 1's training batches were kept
        assert closed.phases[1]["n_iter"] == 2 * n
        assert (closed.preds.phase, closed.preds.epoch) == (1, 0)  # the half pass is not
    else:
        assert closed.manifest == partial.manifest  # nothing was left open

    learn.fit(1, 1e-3)  # fitting again continues the same run as a new phase
    run = load_run(lens.path)
    assert run.id == partial.id and run.complete is True
    assert [p["status"] for p in run.phases][-1] == "finished"
    assert len(run.phases) == (2 if point == "before_fit" else 3)
    assert run.preds.phase == len(run.phases) - 1
    assert len(run.timeline) == len(partial.timeline) + (n if point != "valid_batch" else 2 * n)
    assert not tmp_files(lens.path)


# -- failures of the writer itself ------------------------------------------------------


class _ShortFile:
    """A file that takes ``room`` more bytes, then fails the write with ``exc``."""

    def __init__(self, f, room, exc):
        self._f, self._room, self._exc = f, room, exc

    def write(self, data):
        data = memoryview(data).cast("B")
        if len(data) > self._room:
            self._f.write(data[: self._room])  # part of it reaches the disk, as it would
            self._room = 0
            raise self._exc
        self._room -= len(data)
        return self._f.write(data)

    def __getattr__(self, name):
        return getattr(self._f, name)


class FailingDisk:
    """Makes the run folder's writes fail partway through, as a full disk does: every
    write of a path containing ``match`` (after the first ``skip`` of them) gets ``room``
    bytes, then raises ``exc``. The real :func:`petlens.storage.atomic_write` runs; only
    the file it writes to is replaced by one that fills up."""

    def __init__(self, monkeypatch):
        self._real = storage.atomic_write
        self.exc, self.failed, self.before = None, [], {}
        monkeypatch.setattr(storage, "atomic_write", self._atomic_write)

    def fail(self, exc, *, match="", skip=0, room=100):
        self.exc, self.match, self.skip, self.room = exc, match, skip, room

    def heal(self):
        self.exc = None

    def _atomic_write(self, path, write):
        path = Path(path)
        if self.exc is None or self.match not in path.as_posix():
            return self._real(path, write)
        if self.skip:
            self.skip -= 1
            return self._real(path, write)
        self.failed.append(path)
        self.before.setdefault(path, path.read_bytes() if path.exists() else None)
        return self._real(path, lambda f: write(_ShortFile(f, self.room, self.exc)))


@pytest.fixture
def failing_disk(monkeypatch):
    return FailingDisk(monkeypatch)


def files_of(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_full_disk_warns_once_training_goes_on_and_the_run_catches_up(make_learner,
                                                                        tmp_path,
                                                                        failing_disk):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=())
    learn.add_cb(lens)
    n = len(learn.dls.train)
    learn.fit(1, 1e-3)
    before = files_of(lens.path)

    failing_disk.fail(OSError(errno.ENOSPC, "No space left on device"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        learn.fit(2, 1e-3)  # no exception: a recorder's disk error never stops training
    notes = [str(w.message) for w in caught if "petlens" in str(w.message)]
    assert len(notes) == 1, notes
    assert "No space left on device" in notes[0] and "training goes on" in notes[0]
    assert len(learn.recorder.values) == 2  # both epochs trained and validated
    # each save was tried (the manifest is written last, after the files it names)
    assert {p.name for p in failing_disk.failed} == {"timeline.npz", "phase01-latest.npz"}
    assert len(failing_disk.failed) >= 5
    assert files_of(lens.path) == before  # nothing half-written, no temporary file
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once already: reading says nothing more
        stale = lens.run  # tries to save first, then reads what the disk holds
    assert [p["status"] for p in stale.phases] == ["finished"] and stale.complete is True

    failing_disk.heal()  # space freed: the next save writes everything kept in memory
    run = lens.run
    assert [p["status"] for p in run.phases] == ["finished", "finished"]
    assert run.complete is True
    assert len(run.timeline) == 3 * n
    assert [(e["phase"], e["epoch"]) for e in run.timeline.epochs] == [(0, 0), (1, 0), (1, 1)]
    assert (run.preds.phase, run.preds.epoch) == (1, 1)
    assert not tmp_files(lens.path)


@pytest.mark.parametrize(("target", "skip", "status"), [
    ("manifest.json", 1, "interrupted"),  # at the end of epoch 0
    ("timeline.npz", 1, "interrupted"),  # at the end of epoch 1
    ("preds/", 1, "interrupted"),  # epoch 1's predictions replacing epoch 0's
    ("thumbs/", 0, "finished"),  # after the last epoch: the training itself finished
])
def test_keyboard_interrupt_while_writing_keeps_the_previous_file(make_learner, tmp_path,
                                                                  failing_disk, target, skip,
                                                                  status):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=())
    learn.add_cb(lens)
    n = len(learn.dls.train)
    # a write of ``target`` in this fit (the first after ``skip``) is interrupted partway
    failing_disk.fail(KeyboardInterrupt(), match=target, skip=skip)
    with pytest.raises(KeyboardInterrupt):
        learn.fit(2, 1e-3)
    (path,) = failing_disk.failed
    old = failing_disk.before[path]  # the file as it was, untouched (or still absent)
    assert (path.read_bytes() if path.exists() else None) == old
    assert old is not None or target == "thumbs/"
    partial = load_run(lens.path)
    assert partial.complete is False and partial.phases[0]["status"] == "running"
    assert not tmp_files(lens.path)

    failing_disk.heal()
    learn.fit(1, 1e-3)  # the next fit closes the interrupted one and continues the run
    run = load_run(lens.path)
    assert [p["status"] for p in run.phases] == [status, "finished"]
    assert [e["kind"] for e in run.timeline.events].count("fit_end") == 2
    assert run.complete is True and run.id == partial.id
    assert len(run.timeline) == run.phases[0]["n_iter"] + n
    assert not tmp_files(lens.path)


def test_an_unwritable_runs_folder_does_not_stop_training(make_learner, tmp_path):
    not_a_folder = tmp_path / "runs"
    not_a_folder.write_text("a file where the runs folder should be")
    learn = make_learner()
    lens = PetLens(path=not_a_folder, saliency=())
    learn.add_cb(lens)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        learn.fit(1, 1e-3)
        learn.fit(1, 1e-3)
    notes = [str(w.message) for w in caught if "petlens" in str(w.message)]
    assert len(notes) == 1 and "cannot write the run folder" in notes[0]
    assert len(learn.recorder.values) == 1
    assert lens.path is None
    with pytest.raises(PetLensError, match="recorded nothing yet"):
        lens.run  # noqa: B018
