"""Numpy view models and their static pictures, from a real recorded run."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

from petlens import PetLensError
from petlens.views import ConfusionMatrixView, LrFindView, TimelineView, TopLossesView
from petlens.views.orders import alphabetical, clustered, species
from petlens.views.summary import run_summary

matplotlib.use("Agg")


def test_orders():
    vocab = ["beagle", "Bengal", "pug", "Abyssinian"]
    assert alphabetical(vocab) == [3, 0, 1, 2]  # case-insensitive
    assert species(vocab) == [3, 1, 0, 2]  # cats (capitalised) first, then dogs
    cm = np.array([[9, 0, 4, 0], [0, 9, 0, 1], [3, 0, 9, 0], [0, 2, 0, 9]])
    order = clustered(cm)
    assert sorted(order) == [0, 1, 2, 3]
    assert abs(order.index(0) - order.index(2)) == 1  # confused pairs sit side by side
    assert abs(order.index(1) - order.index(3)) == 1


def test_clustered_handles_no_confusion_and_many_classes():
    assert clustered(np.eye(5, dtype=int) * 7) == [0, 1, 2, 3, 4]
    rng = np.random.default_rng(0)
    cm = rng.poisson(0.02, (1000, 1000))
    assert sorted(clustered(cm)) == list(range(1000))


def test_confusion_view(session_run):
    run = session_run["lens"].run
    view = ConfusionMatrixView.from_run(run, order="alphabetical", normalize="true")
    assert view.plot() is view
    order = view.orders["alphabetical"]
    shown = view.ax_.images[0].get_array()
    np.testing.assert_allclose(shown, run.confusion_matrix("true")[np.ix_(order, order)])
    assert [t.get_text() for t in view.ax_.get_xticklabels()] == [run.vocab[i] for i in order]
    with pytest.raises(PetLensError, match="order='random'"):
        ConfusionMatrixView.from_run(run, order="random")


def test_top_losses_view(session_run):
    run = session_run["lens"].run
    view = TopLossesView.from_run(run)
    probs = run.preds.probs.astype(np.float32)
    rows = np.arange(len(probs))
    np.testing.assert_array_equal(view.prob_actual, probs[rows, run.preds.targets])
    np.testing.assert_array_equal(view.top(5), run.top_losses(5)[1])
    i = int(view.top(1)[0])
    pred, actual = run.vocab[run.preds.decoded[i]], run.vocab[run.preds.targets[i]]
    assert view.caption(i).startswith(f"{pred} / {actual}\n")
    assert view.plot(k=4) is view
    titles = [tile.get_title() for tile in view.tiles_]
    assert titles == [view.tile_title(int(j)) for j in view.top(4)]
    assert titles[0].splitlines()[:2] == [pred, actual]
    state = view.state()
    assert all(thumb["jpeg"][:2] == b"\xff\xd8" for thumb in state["thumbs"])  # JPEG bytes


def test_lr_find_view(session_run):
    run = session_run["lens"].run
    view = LrFindView.from_run(run)
    state = view.state()
    (curve,) = state["curves"]
    assert curve["label"] == "lr_find #1 (unfrozen)"
    assert set(state["explanations"]) == {"valley", "slide", "minimum", "steep"}
    np.testing.assert_array_equal(curve["lrs"], run.lr_finds[0].lrs.astype(np.float32))
    view.plot()
    assert view.ax_.get_xscale() == "log"
    legend = [t.get_text() for t in view.ax_.get_legend().get_texts()]
    assert any(text.strip().startswith("valley") for text in legend)


def test_timeline_view(session_run):
    run = session_run["lens"].run
    view = TimelineView.from_run(run)
    state = view.state()
    assert state["trainable"].dtype == np.uint8
    assert state["trainable"].shape == (len(run.timeline), 3)
    assert [g["name"] for g in state["layer_groups"]] == ["body[0:6]", "body[6:8]", "head"]
    view.plot()
    grid = view.ax_.images[0].get_array()
    assert grid.mask[:2, run.timeline.phase == 0].all()  # frozen groups shown grey
    assert not grid.mask[:, run.timeline.phase == 1].any()


def test_run_summary(session_run):
    run = session_run["lens"].run
    rows = dict(run_summary(run))
    assert rows["Model"].startswith("resnet18")
    assert rows["Error rate"].startswith(f"{run.error_rate:.1%}")
    assert "lr_find ×1" in rows["Training"] and "frozen" in rows["Training"]


def test_counts_travel_in_the_smallest_integer_type():
    from petlens.views.confusion_view import compact_counts

    assert compact_counts(np.array([[255, 0], [0, 1]])).dtype == np.uint8
    assert compact_counts(np.array([[256, 0], [0, 1]])).dtype == np.int16
    big = compact_counts(np.array([[70_000, 0], [0, 1]]))
    assert big.dtype == np.int32 and big[0, 0] == 70_000
