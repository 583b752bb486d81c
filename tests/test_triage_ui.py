"""The top-loss browser's triage, Python side: cleanlab's label issues as traits, the fix
queue's ``fix`` requests (stored in fixes.json, merged across widgets of one run, clearing
included), the dashboard's routing, the shared traits, and the static picture's mark."""

from __future__ import annotations

import json

import numpy as np
import pytest

from petlens.demo.scale_run import write_run
from petlens.run import load_run
from petlens.views import TopLossesView
from petlens.views.dashboard import SHARED_TRAITS, UI_STATE, DashboardView
from petlens.views.top_losses_view import LABEL_TAG, SORTS
from petlens.widgets import Dashboard, TopLossesWidget

EVIL = '<img src=x onerror=alert(1)>'


def request(widget, **content):
    """One request through the widget's message handler; its reply."""
    sent = []
    widget.send = lambda message, buffers=None: sent.append(message)
    widget._on_message(widget, {"type": "petlens:request", "id": "1", "kind": "fix",
                                **content}, [])
    (reply,) = sent
    return reply


@pytest.fixture
def scale(tmp_path):
    """A 12-class run written without training (names from the field, one hostile)."""
    from petlens.demo.scale_run import scale_vocab

    vocab = scale_vocab(12)
    vocab[5] = EVIL
    return load_run(write_run(tmp_path / "run", n_classes=12, n_items=240, vocab=vocab))


def test_label_issue_traits_from_a_trained_run(session_run):
    run = session_run["lens"].run
    issues = run.label_issues
    view = TopLossesView.from_run(run)
    state = view.state()
    np.testing.assert_array_equal(state["label_quality"], issues.scores)
    assert state["label_quality"].dtype == np.float32
    np.testing.assert_array_equal(state["label_issue"], issues.flags)
    np.testing.assert_array_equal(state["suggested_label"], run.preds.decoded)
    info = state["label_issues_info"]
    assert info["available"] is True and info["n_flagged"] == int(issues.flags.sum())
    assert state["run_id"] == run.id and state["fixes_mode"] == "kernel"
    assert state["issues_only"] is False and state["item_selection"] is None
    assert "label_quality" in SORTS
    widget = view.widget()
    assert widget.label_quality["dtype"] == "float32"
    assert widget.label_quality["shape"] == [len(run.preds)]
    assert widget.label_issue["dtype"] == "uint8"  # bool on the wire


def test_a_run_cleanlab_cannot_use_says_why(tmp_path):
    run = load_run(write_run(tmp_path / "one", n_classes=1, n_items=20, vocab=["only"]))
    state = TopLossesView.from_run(run).state()
    assert state["label_issues_info"]["available"] is False
    assert "at least two classes" in state["label_issues_info"]["reason"]
    assert len(state["label_quality"]) == len(state["label_issue"]) == 0
    widget = TopLossesView.from_run(run).widget()
    assert widget.label_issues_info["available"] is False


def test_fix_requests_store_merge_and_clear_across_two_widgets(scale):
    run = scale
    items = [str(i) for i in run.preds.items]
    one = TopLossesView.from_run(run).widget()
    two = run.show()  # the dashboard: its top-loss panel answers under the tl_ prefix
    assert isinstance(one, TopLossesWidget) and isinstance(two, Dashboard)

    reply = request(one, item=3, action="relabel", label=EVIL)
    assert reply["ok"] is True, reply
    reply = request(two, view="tl_", item=items[5], action="delete")
    assert reply["ok"] is True and reply["view"] == "tl_"
    request(one, item=7, action="keep")
    request(two, view="tl_", item=9, action="unsure")
    request(one, item=9, action="clear")  # clearing the other widget's decision merges too

    expected = {items[3]: ("relabel", EVIL), items[5]: ("delete", None),
                items[7]: ("keep", None)}
    for fixes in (one.fixes, two.tl_fixes):  # both widgets end with every decision
        assert {d["item"]: (d["action"], d["label"]) for d in fixes} == expected
    stored = json.loads(run.fixes.path.read_text())
    assert {d["item"]: (d["action"], d["label"]) for d in stored["decisions"]} == expected
    assert [c["item"] for c in stored["cleared"]] == [items[9]]
    assert {d.item for d in run.fixes} == set(expected)  # and run.fixes reads them

    # a reopened widget (a new kernel, a new notebook) starts from the file
    again = TopLossesView.from_run(load_run(run.path)).widget()
    assert {d["item"] for d in again.fixes} == set(expected)
    assert {d["by"] for d in again.fixes} == {"widget"}


def test_bad_fix_requests_answer_with_an_error(scale, tmp_path):
    widget = TopLossesView.from_run(scale).widget()
    for content, error in (
        ({"item": 1, "action": "relabel", "label": "no such class"}, "not a class of this run"),
        ({"item": 10_000, "action": "keep"}, "no validation item 10000"),
        ({"item": "../etc/passwd", "action": "keep"}, "leaves the data folder"),
        ({"item": 1, "action": "explode"}, "unknown action"),
        ({"item": 1, "action": "keep", "label": EVIL}, "only relabel takes a 'label'"),
        ({"item": None, "action": "keep"}, "item name or index"),
    ):
        reply = request(widget, **content)
        assert reply["ok"] is False and error in reply["error"], (content, reply)
    assert widget.fixes == [] and not scale.fixes.path.exists()

    # a view not built from a run folder: nothing to store into, said clearly
    view = TopLossesView.from_run(scale)
    bare = TopLossesWidget.from_view(TopLossesView(
        view.vocab, view.items, view.targets, view.decoded, view.losses, view.prob_actual,
        view.prob_pred, {}))
    reply = request(bare, item=1, action="keep")
    assert reply["ok"] is False and "not built from a run folder" in reply["error"]


def test_shared_and_ui_traits_for_the_embedding_and_the_issue_filter(scale):
    assert {"item_selection", "issues_only"} <= set(SHARED_TRAITS) <= set(UI_STATE) | {
        "vocab", "live"}
    dash = scale.show()
    assert dash.item_selection is None and dash.issues_only is False
    dash.item_selection = [4, 2]
    dash.issues_only = True
    assert not dash.has_trait("tl_item_selection") and not dash.has_trait("tl_issues_only")
    dash._refresh(scale, DashboardView.from_run(scale))  # a live refresh keeps user choices
    assert dash.item_selection == [4, 2] and dash.issues_only is True
    widget = TopLossesView.from_run(scale).widget()
    widget.item_selection = [1]
    widget.item_selection = None


def test_the_static_picture_marks_flagged_items(scale):
    view = TopLossesView.from_run(scale).plot(k=8)
    flagged = view.flagged()
    top = [int(i) for i in view.top(8)]
    titles = [tile.get_title() for tile in view.tiles_]
    assert any(flagged[top]), "the fixture's top losses include flagged items"
    for index, title in zip(top, titles, strict=True):
        assert (LABEL_TAG in title) == bool(flagged[index]), title
    assert LABEL_TAG in view.ax_.get_title()


def test_a_clearing_merges_like_a_decision(scale, tmp_path):
    fixes = scale.fixes
    item = str(scale.preds.items[0])
    fixes.set(item, "delete")
    older = fixes.export_json(tmp_path / "older.json")  # e.g. a report exported earlier
    fixes.clear(item)
    assert fixes.get(item) is None
    assert fixes.import_file(older) == 1 and fixes.get(item) is None  # the later clearing wins
    fixes.set(item, "keep")  # a decision after the clearing wins over it
    assert fixes.get(item).action == "keep"
    doc = json.loads(fixes.path.read_text())
    assert [d["item"] for d in doc["decisions"]] == [item] and doc.get("cleared", []) == []
