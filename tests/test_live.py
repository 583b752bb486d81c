"""The dashboard shown before or during training updates as the learner trains (issue 14):
deltas of the timeline, the running lr_find curve, every panel refreshed at each save, the
user's choices kept, and at the end exactly what run.show() shows."""

from __future__ import annotations

import gc
import threading

import numpy as np
import pytest

from petlens import PetLens, issue_cache, load_run, projection
from petlens.widgets import Dashboard
from petlens.wire import encode_state


def capture(widget) -> list:
    """Messages the widget sends to its front end (content, buffers)."""
    sent = []
    widget.send = lambda content, buffers=None: sent.append((content, buffers or []))
    return sent


def appended(sent) -> dict:
    """The timeline iterations the front end received as deltas, concatenated."""
    chunks = [(c, b) for c, b in sent if c.get("type") == "petlens:append"]
    out = {}
    for content, buffers in chunks:
        for name, meta in content["arrays"].items():
            values = np.frombuffer(buffers[meta["buffer"]], dtype=meta["dtype"])
            out.setdefault(name, []).append(values.reshape(meta["shape"]))
    return {name: np.concatenate(parts) for name, parts in out.items()}


@pytest.fixture
def lens_and_learner(make_learner, tmp_path):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=None)
    learn.add_cb(lens)
    lens._live.interval = 0.0  # every batch: the tiny data set trains in a blink
    return lens, learn


def test_a_dashboard_shown_before_training_follows_it(lens_and_learner):
    lens, learn = lens_and_learner
    dash = lens.show()
    assert dash.panels == [] and "waiting" in dash.title and dash.revision == 0
    sent = capture(dash)
    curves = []
    dash.observe(lambda change: curves.append(change["new"]), names="lr_curves")

    learn.lr_find(num_it=12, show_plot=False)
    assert dash.revision > 0 and dash.lr_curves  # the curve grew, then the saved call
    assert any(c[-1].get("running") for c in curves)  # no line to copy while it runs
    assert dash.lr_curves[-1]["suggestions"]  # once it ended: fastai's suggestions
    assert "running" not in dash.lr_curves[-1]

    learn.fine_tune(1, 1e-3, freeze_epochs=1)
    run = load_run(lens.path)

    deltas = appended(sent)
    assert len(deltas["loss"]) == len(run.timeline)  # every iteration, each sent once
    np.testing.assert_allclose(deltas["loss"], run.timeline.loss, rtol=1e-6)
    np.testing.assert_array_equal(deltas["trainable"], run.timeline.trainable)
    starts = [c["start"] for c, _ in sent if c.get("type") == "petlens:append"]
    assert starts == sorted(set(starts)) and starts[0] == 0  # append-only, no repeats

    # what the run on disk shows, exactly (with this learner's live extras: saliency on
    # demand, larger images; run.show() without a learner offers only what is stored), once
    # what a fit's end computes in the background (label issues) is shown
    assert dash.wait_until_settled(timeout=120)
    final = Dashboard.from_run(run, learn=learn)
    for name, value in encode_state(final.get_state()).items():
        if name in ("revision", "progress", "layout", "picture_id") or name.startswith("_"):
            continue
        if name.endswith("label_issues_info"):  # the live one computed them, this one reads
            assert {**getattr(dash, name), "note": ""} == {**value, "note": ""}, name
            continue
        assert getattr(dash, name) == value, name
    assert dash.progress == {"status": "finished"}


def test_label_issues_and_the_map_are_computed_after_a_fit_never_in_its_loop(
        make_learner, tmp_path, monkeypatch):
    """cleanlab and UMAP cost seconds at 50,000 items: a live dashboard shows the panels
    without them while the fit runs and at its end, and computes them in a thread of its
    own once the fit has ended (the training loop never waits for them)."""
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=None, embeddings=True)
    learn.add_cb(lens)
    lens._live.interval = 0.0
    computed_in = []
    label_issues_for, projection_for = issue_cache.label_issues_for, projection.projection_for

    def observed_issues(run):
        computed_in.append(("label issues", threading.current_thread().name))
        return label_issues_for(run)

    def observed_map(run, **params):
        if params.get("compute", True):
            computed_in.append(("map", threading.current_thread().name))
        return projection_for(run, **params)

    monkeypatch.setattr(issue_cache, "label_issues_for", observed_issues)
    monkeypatch.setattr(projection, "projection_for", observed_map)
    dash = lens.show()
    infos = []
    dash.observe(lambda change: infos.append(change["new"]), names="tl_label_issues_info")
    learn.fit(2, 1e-3)
    assert dash.wait_until_settled(timeout=300)
    assert {what for what, _ in computed_in} == {"label issues", "map"}
    assert {thread for _, thread in computed_in} == {"petlens-dashboard-settle"}, computed_in
    assert any(not i["available"] and "background" in i["reason"] for i in infos)
    n_items = len(load_run(lens.path).preds)
    assert dash.tl_label_issues_info["available"] is True
    assert dash.tl_label_issues_info["n_items"] == n_items
    assert dash.emb_notice == "" and dash.emb_xy["shape"] == [n_items, 2]


def test_progress_and_the_users_choices_survive_refreshes(lens_and_learner):
    lens, learn = lens_and_learner
    learn.fit(1, 1e-3)
    dash = lens.show()
    sent = capture(dash)
    dash.tl_page_size, dash.cm_normalize, dash.filter_actual = 12, "true", 1
    progress, cursors = [], []
    dash.observe(lambda change: progress.append(change["new"]), names="progress")
    dash.observe(lambda change: cursors.append(change["new"]), names="time_cursor")
    learn.fit(2, 1e-3)
    # the front end moves the cursor while the fit runs (it follows the end unless the
    # user moved it); the run as saved sets it once the fit ended
    assert cursors == [len(load_run(lens.path).timeline) - 1]
    running = [p for p in progress if p.get("status") == "running" and "epoch" in p]
    assert running and {"phase", "n_epoch", "batch", "n_batches", "elapsed", "eta"} <= set(
        running[-1])
    assert max(p["epoch"] for p in running) == 1 and running[-1]["n_epoch"] == 2
    assert (dash.tl_page_size, dash.cm_normalize, dash.filter_actual) == (12, "true", 1)
    assert dash.time_phases[-1]["status"] == "finished" and len(dash.time_phases) == 2
    assert any(c.get("type") == "petlens:append" for c, _ in sent)


def test_an_lr_find_after_a_fit_says_so_from_its_start(lens_and_learner):
    lens, learn = lens_and_learner
    learn.fit(1, 1e-3)
    dash = lens.show()
    seen = []  # the progress at each update (not "finished", nor a partial run, meanwhile)
    dash.observe(lambda change: seen.append(dict(dash.progress)), names="revision")
    learn.lr_find(num_it=5, show_plot=False)
    assert dash.wait_until_settled(timeout=120)  # its background refresh: one more revision
    statuses = [p["status"] for p in seen]
    end = statuses.index("finished")
    assert end > 0 and statuses == ["lr_find"] * end + ["finished"] * (len(seen) - end)
    assert seen[0] == {"status": "lr_find", "batch": 0}


def test_an_interrupted_fit_says_so(lens_and_learner):
    from fastai.callback.core import Callback, CancelFitException

    class StopEarly(Callback):
        def after_batch(self):
            if self.training and self.iter == 2:
                raise CancelFitException()

    lens, learn = lens_and_learner
    dash = lens.show()
    learn.fit(1, 1e-3, cbs=StopEarly())
    assert dash.progress == {"status": "cancelled"}
    assert dash.time_phases[-1]["status"] == "cancelled"


def test_closed_or_failing_views_never_stop_training(lens_and_learner):
    lens, learn = lens_and_learner
    closed = lens.show()
    sent = capture(closed)
    closed.close()
    gone = lens.show()  # an output cleared in the notebook: the front end closes it
    gone.close()
    del gone
    gc.collect()

    class Broken:
        def update(self, message):
            raise RuntimeError("front end gone")

    broken = Broken()
    lens.subscribe(broken.update)
    with pytest.warns(UserWarning, match="a live view stopped updating: RuntimeError"):
        learn.fit(1, 1e-3)
    assert load_run(lens.path).complete
    assert sent == [] and closed.revision == 0  # closed: no update reached it
    assert not lens._live.active  # the closed views and the failing one were dropped
