"""Label issues at the class level (issue 15): the per-class panel's flagged items per class and
the confusion panel's overlapping class pairs, against cleanlab's own calls on the same
predictions; their traits in the widgets and the dashboard; runs without them (one class,
cleanlab failing, not asked for); top-k runs said to be approximate; the static pictures."""

from __future__ import annotations

import numpy as np
import pytest
from cleanlab.dataset import find_overlapping_classes
from cleanlab.filter import find_label_issues as cleanlab_flags

from petlens import load_run
from petlens.demo.scale_run import write_run
from petlens.views import ConfusionMatrixView, PerClassView
from petlens.views._label_issues import NOT_COMPUTED
from petlens.views.dashboard import DashboardView
from petlens.widgets.confusion import ConfusionMatrixWidget
from petlens.widgets.dashboard import Dashboard
from petlens.widgets.per_class import PerClassWidget

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def pets37(tmp_path_factory):
    return load_run(write_run(tmp_path_factory.mktemp("runs"), n_classes=37, n_items=1480,
                              n_iter=20))


def cleanlabs_own(run):
    """cleanlab's calls on the run's predictions, as a user would make them: flagged items per
    class and the overlapping pairs (a < b) with joint probability and examples."""
    probs = run.preds.probs.astype(np.float64)
    probs /= probs.sum(1, keepdims=True)
    labels = run.preds.targets.astype(int)
    flags = cleanlab_flags(labels, probs)
    table = find_overlapping_classes(labels=labels, pred_probs=probs)
    table = table[table["Num Overlapping Examples"] > 0]
    pairs = {tuple(sorted((int(a), int(b)))): (float(j), int(n)) for a, b, j, n in zip(
        table["Class Index A"], table["Class Index B"], table["Joint Probability"],
        table["Num Overlapping Examples"], strict=True)}
    return np.bincount(labels[flags], minlength=len(run.vocab)), pairs


def test_counts_and_pairs_are_cleanlabs(pets37):
    per_class = PerClassView.from_run(pets37)
    confusion = ConfusionMatrixView.from_run(pets37)
    counts, pairs = cleanlabs_own(pets37)
    assert counts.sum() > 50  # the scale run's confusions give cleanlab something to flag
    np.testing.assert_array_equal(per_class.class_issues, counts)
    assert per_class.issues_info["n_flagged"] == counts.sum()
    assert per_class.issues_info["available"] and not per_class.issues_info["approximate"]
    shown = confusion.overlapping_pairs
    assert 0 < len(shown) <= 100 and len(shown) == min(100, len(pairs))
    for pair in shown:
        joint, examples = pairs[(pair["a"], pair["b"])]
        assert pair["a"] < pair["b"]
        assert pair["joint"] == pytest.approx(joint, rel=1e-5) and pair["examples"] == examples
    joints = [p["joint"] for p in shown]
    assert joints == sorted(joints, reverse=True)  # most overlapping first


def test_traits_of_the_widgets_and_the_dashboard(pets37):
    per_class = PerClassView.from_run(pets37, sort="issues", descending=True)
    state = per_class.state()
    assert state["class_issues"].dtype == np.int32 and state["sort"] == "issues"
    assert state["label_issues_info"]["reason"] == ""
    widget = per_class.widget()
    assert isinstance(widget, PerClassWidget)
    assert widget.class_issues["dtype"] == "int32" and widget.class_issues["shape"] == [37]
    assert widget.label_issues_info["available"] is True
    confusion = ConfusionMatrixView.from_run(pets37).widget()
    assert isinstance(confusion, ConfusionMatrixWidget)
    assert confusion.overlapping_pairs[0].keys() == {"a", "b", "joint", "examples"}

    board = Dashboard.from_run(pets37)
    np.testing.assert_array_equal(
        np.frombuffer(board.pc_class_issues["buffer"], np.int32),
        pets37.label_issues.class_issues)
    assert board.cm_overlapping_pairs == ConfusionMatrixView.from_run(pets37).overlapping_pairs
    assert board.cm_label_issues_info["n_pairs"] == len(board.cm_overlapping_pairs)
    assert not hasattr(board, "class_issues")  # prefixed: the panels' own


def test_runs_without_label_issues_say_why(tmp_path, monkeypatch):
    one = load_run(write_run(tmp_path / "one", n_classes=1, n_items=20, n_iter=10,
                             vocab=["cat"]))
    for view in (PerClassView.from_run(one), ConfusionMatrixView.from_run(one)):
        assert view.issues_info["available"] is False
        assert "at least two classes" in view.issues_info["reason"]
    assert PerClassView.from_run(one).state()["class_issues"] is None
    assert ConfusionMatrixView.from_run(one).state()["overlapping_pairs"] == []
    widget = PerClassView.from_run(one).widget()
    assert widget.class_issues is None and "two classes" in widget.label_issues_info["reason"]
    DashboardView.from_run(one).png()  # the static picture too: no crash

    # cleanlab itself failing (a third-party error stood in for): the reason, never a crash
    def broken(*args, **kwargs):
        raise ValueError("pred_probs do not look like probabilities")

    monkeypatch.setattr("cleanlab.filter.find_label_issues", broken)
    run = load_run(write_run(tmp_path / "five", n_classes=5, n_items=60, n_iter=10))
    view = PerClassView.from_run(run)
    assert view.class_issues is None
    assert view.issues_info["reason"] == ("cleanlab could not compute them (ValueError: "
                                          "pred_probs do not look like probabilities)")
    assert "cleanlab could not" in ConfusionMatrixView.from_run(run).pairs_text()

    not_asked = PerClassView.from_run(run, label_issues=False)
    assert not_asked.issues_info["reason"] == NOT_COMPUTED


def test_a_corrupt_cache_is_a_reason_not_a_crash(pets37, tmp_path):
    import shutil

    path = shutil.copytree(pets37.path, tmp_path / "copy")
    run = load_run(path)
    _ = run.label_issues  # writes label_issues.npz
    with np.load(path / "label_issues.npz") as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["given"][0] = 99  # a class index the vocab does not have
    np.savez(path / "label_issues.npz", **arrays)
    view = ConfusionMatrixView.from_run(load_run(path))
    assert view.overlapping_pairs == []
    assert view.issues_info["reason"] == "label_issues.npz: given outside 0..36"


def test_top_k_runs_are_marked_approximate(tmp_path):
    path = write_run(tmp_path, n_classes=250, n_items=1500, n_iter=10)
    preds = next((path / "preds").glob("*.npz"))
    with np.load(preds) as npz:
        arrays = {key: npz[key] for key in npz.files}
    probs = arrays.pop("probs")
    classes = np.argsort(-probs.astype(np.float32), axis=1, kind="stable")[:, :10]
    arrays.update(topk_probs=np.take_along_axis(probs, classes, 1),
                  topk_classes=classes.astype(np.int16),
                  target_probs=probs[np.arange(len(probs)), arrays["targets"]])
    np.savez(preds, **arrays)
    run = load_run(path)
    assert run.preds.probs is None
    info = PerClassView.from_run(run).state()["label_issues_info"]
    assert info["approximate"] is True and info["top_k"] == 10
    assert ConfusionMatrixView.from_run(run).state()["label_issues_info"]["approximate"]
    assert "approximate: top-10 probabilities" in PerClassView.from_run(run).plot().ax_.get_xlabel()


def test_static_pictures_carry_counts_and_pairs(tmp_path):
    vocab = ["Abyssinian", EVIL, "$x^2$", *[f"breed_{i}" for i in range(9)]]
    run = load_run(write_run(tmp_path, n_classes=12, n_items=480, n_iter=10, vocab=vocab))
    per_class = PerClassView.from_run(run).plot()
    labels = [t.get_text() for t in per_class.ax_.get_yticklabels()]
    counts = run.label_issues.class_issues
    for i, name in enumerate(vocab):
        wanted = f"{name} ({per_class.support[i]}, {counts[i]} flagged)" if counts[i] else \
            f"{name} ({per_class.support[i]})"
        assert wanted in labels
    assert f"{counts.sum():,} of 480 items flagged" in per_class.ax_.get_xlabel()

    confusion = ConfusionMatrixView.from_run(run).plot()
    text = confusion.ax_.get_xlabel()
    assert "Overlapping classes (cleanlab: consider merging or checking these two classes" in text
    first = confusion.overlapping_pairs[0]
    assert f"{vocab[first['a']]} ↔ {vocab[first['b']]}: {first['examples']} items" in text
    dashed = [p for p in confusion.ax_.patches if p.get_linestyle() == "--"]
    assert len(dashed) == 2 * min(5, len(confusion.overlapping_pairs))  # both directions

    picture = DashboardView.from_run(run).plot()
    xlabels = " ".join(ax.get_xlabel() for ax in picture.fig_.axes)
    assert "Overlapping classes (cleanlab" in xlabels and "items flagged" in xlabels
