"""Per-class metrics: the numbers of fastai's print_classification_report (scikit-learn), as
Run API, view, static picture, widget and dashboard panel."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import classification_report

from petlens import PetLensError, load_run
from petlens.demo.scale_run import write_run
from petlens.views import PerClassView


def sklearn_report(run) -> dict:
    """What fastai's ``interp.print_classification_report()`` computes, as a dict."""
    labels = list(range(len(run.vocab)))
    return classification_report(run.preds.targets, run.preds.decoded, labels=labels,
                                 target_names=list(run.vocab), output_dict=True,
                                 zero_division=0)


@pytest.fixture(scope="module")
def pets37(tmp_path_factory):
    return load_run(write_run(tmp_path_factory.mktemp("runs"), n_classes=37, n_items=1480))


def check_against_sklearn(run) -> None:
    metrics, report = run.per_class_metrics(), sklearn_report(run)
    for i, name in enumerate(run.vocab):
        assert metrics["precision"][i] == pytest.approx(report[name]["precision"])
        assert metrics["recall"][i] == pytest.approx(report[name]["recall"])
        assert metrics["f1"][i] == pytest.approx(report[name]["f1-score"])
        assert metrics["support"][i] == report[name]["support"]
    summary = metrics["summary"]
    assert summary["accuracy"] == pytest.approx(report["accuracy"])
    assert summary["n_items"] == len(run.preds)
    for ours, theirs in (("macro", "macro avg"), ("weighted", "weighted avg")):
        for key, their_key in (("precision", "precision"), ("recall", "recall"),
                               ("f1", "f1-score")):
            assert summary[ours][key] == pytest.approx(report[theirs][their_key])


def test_equal_to_the_classification_report_of_a_real_session(session_run):
    check_against_sklearn(session_run["lens"].run)


def test_equal_to_the_classification_report_at_37_breeds(pets37):
    check_against_sklearn(pets37)
    assert 1 - pets37.per_class_metrics()["summary"]["accuracy"] == pytest.approx(
        pets37.error_rate)


def test_view_state_widget_and_options(pets37):
    view = PerClassView.from_run(pets37, sort="recall", descending=True)
    state = view.state()
    assert state["f1"].dtype == np.float32 and state["support"].dtype == np.int32
    assert state["sort"] == "recall" and state["descending"] is True
    assert state["filter_actual"] is None and len(state["vocab"]) == 37
    widget = view.widget()
    assert widget.sort == "recall" and widget.summary["n_items"] == 1480
    assert widget.picture()["image/png"]  # a picture for readers without a kernel
    with pytest.raises(PetLensError, match="sort='accuracy'"):
        PerClassView.from_run(pets37, sort="accuracy")


def test_picture_lists_the_worst_classes_first(pets37):
    view = PerClassView.from_run(pets37).plot(max_classes=10)
    labels = [t.get_text().rsplit(" (", 1)[0] for t in view.ax_.get_yticklabels()]
    assert labels == view.worst(10)
    assert "27 more classes not shown" in view.ax_.get_title()


def test_dashboard_panel_and_report_state(pets37):
    from petlens.views.dashboard import DashboardView

    state = DashboardView.from_run(pets37).state()
    assert [p["key"] for p in state["panels"]][:2] == ["confusion", "per_class"]
    np.testing.assert_array_equal(state["pc_support"], pets37.per_class_metrics()["support"])
    assert "pc_vocab" not in state and "filter_actual" in state  # shared, unprefixed


def test_label_issue_column_in_the_dashboard_panel(pets37):
    """cleanlab's flagged items per class travel as pc_class_issues (tests/test_triage_classes.py
    checks them against cleanlab's own calls); 'issues' is a sort like the others."""
    from petlens.views.dashboard import DashboardView

    state = DashboardView.from_run(pets37).state()
    np.testing.assert_array_equal(state["pc_class_issues"], pets37.label_issues.class_issues)
    assert (state["pc_class_issues"] <= state["pc_support"]).all()
    assert state["pc_label_issues_info"]["n_flagged"] == int(pets37.label_issues.flags.sum())
    view = PerClassView.from_run(pets37, sort="issues", descending=True)
    assert view.widget().sort == "issues"
