"""Learners unlike chapter 5's: multi-label, regression, tabular, two classes, no validation
set, diverging ``lr_find``, ``lr_find`` after ``fine_tune``, ``PetLens`` added twice.

Each is a real fastai learner trained a few batches on the synthetic pets (or a small data
frame); the run is read back from disk.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from fastai.vision.all import (
    Callback,
    CategoryBlock,
    DataBlock,
    ImageBlock,
    MSELossFlat,
    MultiCategoryBlock,
    ProgressCallback,
    RandomSplitter,
    RegressionBlock,
    Resize,
    accuracy_multi,
    error_rate,
    get_image_files,
    resnet18,
    vision_learner,
)

from petlens import PetLens, PetLensError, load_run
from petlens.views import ConfusionMatrixView, LrFindView, TimelineView, TopLossesView
from petlens.widgets import Dashboard


def breed(path) -> str:
    return path.name.rsplit("_", 1)[0]


def species(path) -> str:
    return "cat" if breed(path)[0].isupper() else "dog"  # Pets: cat breeds are capitalised


def number(path) -> float:
    return float(path.stem.rsplit("_", 1)[1])


def make_block_learner(pets_path, folder, block, get_y, *, valid_pct=0.2, **kwargs):
    """A resnet18 learner (no weights downloaded) over the synthetic pets with the target
    block and labelling function given, small images, no augmentation."""
    dls = DataBlock(blocks=(ImageBlock, block), get_items=get_image_files,
                    splitter=RandomSplitter(valid_pct=valid_pct, seed=42), get_y=get_y,
                    item_tfms=Resize(32)).dataloaders(pets_path / "images", bs=8,
                                                       num_workers=0)
    learn = vision_learner(dls, resnet18, pretrained=False, path=folder / "learn", **kwargs)
    learn.remove_cb(ProgressCallback)
    return learn


@pytest.fixture
def block_learner(pets_path, tmp_path):
    def make(block, get_y, **kwargs):
        return make_block_learner(pets_path, tmp_path, block, get_y, **kwargs)

    return make


def petlens_warnings(caught) -> list[str]:
    return [str(w.message) for w in caught if str(w.message).startswith("petlens")]


def record(learn, lens, *, lr_find=True, epochs=1):
    """``lr_find`` (optional) and ``fit``, collecting petlens' warnings."""
    learn.add_cb(lens)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if lr_find:
            learn.lr_find(num_it=30, show_plot=False)
        learn.fit(epochs, 1e-3)
        run = lens.run
    return run, petlens_warnings(caught)


def strict_json(text: str):
    """Parse JSON refusing NaN / Infinity (not JSON, though Python writes them)."""
    def refuse(token):
        raise ValueError(f"non-standard JSON token {token}")

    return json.loads(text, parse_constant=refuse)


def check_no_preds_views(run, tmp_path, reason_start: str) -> None:
    """Timeline and LR views work; the confusion matrix and top losses say why they are
    missing, in the API, the dashboard, its header and the report."""
    assert run.preds is None and run.pred_sets == []
    assert run.preds_skipped.startswith(reason_start)
    assert len(run.timeline) > 0
    TimelineView.from_run(run).plot()
    TimelineView.from_run(run).widget()
    assert len(LrFindView.from_run(run).plot().calls) == 1
    LrFindView.from_run(run).widget()
    for view in (ConfusionMatrixView, TopLossesView):
        with pytest.raises(PetLensError, match=reason_start):
            view.from_run(run)
    with pytest.raises(PetLensError, match=reason_start):
        run.most_confused()

    dashboard = Dashboard.from_run(run)
    for notice in (dashboard.cm_notice, dashboard.tl_notice):
        assert run.preds_skipped in notice and notice.startswith("No confusion matrix")
    assert ["Predictions", f"not recorded: {run.preds_skipped}"] in dashboard.summary
    assert len(dashboard.lr_curves) == 1 and dashboard.time_loss["shape"] == [len(run.timeline)]
    html = run.export_html(tmp_path / "report.html").read_text("utf-8")
    assert run.preds_skipped in html


@pytest.fixture(scope="module")
def multi_label(pets_path, tmp_path_factory):
    """A multi-label run (breed and species of each pet): ``lr_find`` then ``fit``."""
    folder = tmp_path_factory.mktemp("multi_label")
    learn = make_block_learner(pets_path, folder, MultiCategoryBlock,
                               lambda p: [breed(p), species(p)], metrics=accuracy_multi)
    return record(learn, PetLens(path=folder / "runs"))


def test_multi_label_records_timeline_and_lr_find_and_says_why_no_confusion_matrix(
        multi_label, tmp_path):
    run, notes = multi_label
    assert run.complete is True and len(run.vocab) == 6  # 4 breeds + cat + dog
    assert run.manifest["artefacts"]["preds_skipped"].startswith("multi-label targets")
    assert [p["status"] for p in run.phases] == ["finished"]
    assert run.timeline.epochs[0]["accuracy_multi"] is not None
    assert len(notes) == 1 and "validation predictions not recorded" in notes[0]
    assert run.saliency_info is None and run.manifest["artefacts"]["thumbs"]["items"] == {}
    check_no_preds_views(run, tmp_path, "multi-label targets")


def test_multi_label_report_says_why_in_the_browser(multi_label, browser, tmp_path):
    from browser import open_html

    run, _ = multi_label
    path = run.export_html(tmp_path / "report.html")
    probe = open_html(browser, tmp_path / "opened.html", path.read_text("utf-8"))
    header = probe.page.inner_text(".petlens-dash-header")
    assert f"not recorded: {run.preds_skipped}" in " ".join(header.split())
    assert probe.page.locator(".petlens-lrfind canvas").count() >= 1
    for panel in ("confusion", "top_losses"):
        check_panel_notice(probe, panel, f"predictions were not recorded: {run.preds_skipped}.")
    assert probe.errors == [] and probe.network_requests == []


def check_panel_notice(probe, panel: str, text: str) -> None:
    """The dashboard panel shows ``text`` in its notice, muted, with no error and no view."""
    page = probe.page
    notice = page.locator(f".petlens-panel-{panel} .petlens-notice")
    assert notice.is_visible()
    assert text in " ".join(notice.inner_text().split())
    assert "petlens-error" not in (notice.get_attribute("class") or "")
    errors = page.locator(f".petlens-panel-{panel} .petlens-error")
    assert all(not errors.nth(i).is_visible() for i in range(errors.count()))
    assert "Cannot show" not in page.inner_text(f".petlens-panel-{panel}")
    view = {"confusion": ".petlens-main", "top_losses": ".petlens-losses-toolbar"}[panel]
    assert not page.locator(f".petlens-panel-{panel} {view}").is_visible()


def test_lr_find_only_report_says_predictions_come_with_validation(make_learner, browser,
                                                                     tmp_path):
    """A run with only ``lr_find`` (no fit yet): the dashboard and the report say the
    predictions are recorded when an epoch's validation ends."""
    from browser import open_html

    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=())
    learn.add_cb(lens)
    learn.lr_find(num_it=20, show_plot=False)
    run = load_run(lens.path)
    assert run.preds is None and not run.preds_skipped and len(run.lr_finds) == 1
    dashboard = Dashboard.from_run(run)
    assert dashboard.cm_notice.startswith("No validation predictions yet")
    assert dashboard.tl_notice == dashboard.cm_notice
    path = run.export_html(tmp_path / "report.html")
    probe = open_html(browser, tmp_path / "opened.html", path.read_text("utf-8"))
    for panel in ("confusion", "top_losses"):
        check_panel_notice(probe, panel, "No validation predictions yet: they are recorded "
                                         "when an epoch's validation ends.")
    assert probe.page.locator(".petlens-lrfind canvas").count() >= 1
    assert probe.errors == [] and probe.network_requests == []


def test_regression_records_timeline_and_lr_find_and_says_why_no_confusion_matrix(
        block_learner, tmp_path):
    learn = block_learner(RegressionBlock, number, n_out=1, loss_func=MSELossFlat())
    lens = PetLens(path=tmp_path / "runs")
    run, notes = record(learn, lens)
    assert run.complete is True and run.vocab == []
    assert np.isfinite(run.timeline.loss).all()
    assert run.timeline.epochs[0]["valid_loss"] > 0
    assert len(notes) == 1 and "validation predictions not recorded" in notes[0]
    check_no_preds_views(run, tmp_path, "regression targets")
    assert load_run(run.path).manifest == run.manifest


def test_two_classes(block_learner, tmp_path):
    learn = block_learner(CategoryBlock, species, metrics=error_rate)
    lens = PetLens(path=tmp_path / "runs", saliency=())
    run, notes = record(learn, lens, lr_find=False, epochs=2)
    assert notes == []
    assert run.vocab == ["cat", "dog"]
    probs, targets = learn.get_preds()  # the model is as it was in the last validation
    np.testing.assert_allclose(run.preds.probs, probs.numpy(), atol=1e-3)
    np.testing.assert_array_equal(run.preds.targets, targets.numpy())
    cm = run.confusion_matrix()
    assert cm.shape == (2, 2) and cm.sum() == len(learn.dls.valid_ds)
    assert np.array_equal(cm, np.bincount(targets.numpy() * 2 + probs.argmax(1).numpy(),
                                          minlength=4).reshape(2, 2))
    assert set(ConfusionMatrixView.from_run(run).orders["clustered"]) == {0, 1}
    assert len(TopLossesView.from_run(run).top(3)) == 3
    assert run.manifest["artefacts"]["thumbs"]["items"]  # thumbnails written
    dashboard = Dashboard.from_run(run)
    assert dashboard.cm_notice == "" and dashboard.tl_notice == ""
    run.export_html(tmp_path / "report.html")


def test_empty_validation_set_adds_no_failure_of_its_own(block_learner, tmp_path):
    learn = block_learner(CategoryBlock, breed, valid_pct=0.0, metrics=error_rate)
    assert len(learn.dls.valid_ds) == 0
    lens = PetLens(path=tmp_path / "runs")  # saliency on: nothing to explain, no warning
    run, notes = record(learn, lens, lr_find=False, epochs=2)
    assert notes == []
    assert len(learn.recorder.values) == 2  # fastai trains without validation
    assert run.complete is True and run.manifest["data"]["n_valid"] == 0
    assert len(run.timeline) == 2 * len(learn.dls.train)
    assert [e["valid_loss"] for e in run.timeline.epochs] == [None, None]
    assert run.preds_skipped == "the validation set is empty"
    assert run.saliency_info is None
    dashboard = Dashboard.from_run(run)
    assert "the validation set is empty" in dashboard.cm_notice
    run.export_html(tmp_path / "report.html")


@pytest.fixture
def tabular_learner_(tmp_path):
    """A small fastai tabular classifier over a synthetic data frame (30 validation rows)."""
    import pandas as pd
    from fastai.tabular.all import (
        Categorify,
        Normalize,
        TabularDataLoaders,
        tabular_learner,
    )

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120),
                       "c": rng.choice(["x", "y", "z"], 120)})
    df["y"] = np.where(df["a"] + (df["c"] == "x") > 0.5, "pos", "neg")
    dls = TabularDataLoaders.from_df(df, path=tmp_path, cat_names=["c"], cont_names=["a", "b"],
                                     y_names="y", y_block=CategoryBlock(),
                                     procs=[Categorify, Normalize], bs=16,
                                     valid_idx=list(range(90, 120)))
    # n_out given: fastai 2.8's get_c infers it wrongly from a data frame with categories
    learn = tabular_learner(dls, layers=[8], n_out=2, metrics=error_rate,
                            path=tmp_path / "learn")
    learn.remove_cb(ProgressCallback)
    return learn


def test_tabular_is_recorded_without_thumbnails_or_saliency(tabular_learner_, tmp_path):
    learn = tabular_learner_
    lens = PetLens(path=tmp_path / "runs")  # thumbnails and saliency asked for (defaults)
    run, notes = record(learn, lens, epochs=2)
    image_notes = [n for n in notes if "not images" in n]
    assert len(image_notes) == 1
    assert "no thumbnails and no saliency maps" in image_notes[0]
    assert not [n for n in notes if "thumbnail" in n or "saliency" in n][1:]
    assert run.complete is True and run.vocab == ["neg", "pos"]
    assert run.manifest["data"]["item_root"] is None  # rows, not files
    assert len(run.timeline) == 2 * len(learn.dls.train) and len(run.lr_finds) == 1
    assert run.manifest["artefacts"]["thumbs"]["items"] == {}
    assert run.saliency_info is None and not (run.path / "saliency.npz").exists()
    LrFindView.from_run(run).widget()
    TimelineView.from_run(run).widget()
    Dashboard.from_run(run)
    run.export_html(tmp_path / "report.html")


def test_tabular_predictions_are_recorded_with_one_warning_only(tabular_learner_, tmp_path):
    learn = tabular_learner_
    lens = PetLens(path=tmp_path / "runs")
    run, notes = record(learn, lens, lr_find=False)
    assert len(notes) == 1 and "not images" in notes[0]
    assert run.preds is not None and len(run.preds) == 30
    assert list(run.preds.items) == [str(i) for i in range(30)]  # rows by position
    probs, targets = learn.get_preds()
    np.testing.assert_array_equal(run.preds.targets, targets.numpy().reshape(-1))
    np.testing.assert_allclose(run.preds.probs, probs.numpy(), atol=1e-3)


class LossToInf(Callback):
    """Makes the loss of training batch ``at`` infinite (the weights become NaN after)."""

    order = 1

    def __init__(self, at):
        self.at = at

    def after_loss(self):
        if self.learn.training and self.learn.train_iter == self.at:
            self.learn.loss_grad = self.learn.loss_grad * float("inf")
            self.learn.loss = self.learn.loss_grad.clone()


@pytest.mark.parametrize("diverge", ["huge_end_lr", "inf_loss"])
def test_lr_find_with_nan_or_inf_losses(make_learner, tmp_path, diverge):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs")
    learn.add_cb(lens)
    if diverge == "huge_end_lr":  # the loss diverges to NaN; fastai does not stop
        learn.lr_find(num_it=30, end_lr=1e12, stop_div=False, show_plot=False)
    else:
        with learn.added_cbs(LossToInf(at=12)):
            learn.lr_find(num_it=30, stop_div=False, show_plot=False)
    fastai_losses = np.array([float(x) for x in learn.recorder.losses])
    assert not np.isfinite(fastai_losses).all()  # the case under test really happened

    text = (lens.path / "lr_find.json").read_text("utf-8")
    assert "NaN" not in text and "Infinity" not in text
    strict_json(text)
    (call,) = load_run(lens.path).lr_finds
    np.testing.assert_allclose(call.losses, np.where(np.isfinite(fastai_losses),
                                                     fastai_losses, np.nan), rtol=1e-5)
    assert not np.isfinite(call.raw_losses).all()
    assert all(v is None or np.isfinite(v) for v in call.suggestions.values())
    view = LrFindView.from_run(load_run(lens.path))
    view.plot()
    view.widget()
    html = load_run(lens.path).export_html(tmp_path / "report.html").read_text("utf-8")
    state = html.split('<script type="application/json"', 1)[1].split(">", 1)[1]
    strict_json(state.split("</script>", 1)[0])


def test_lr_find_after_fine_tune(make_learner, tmp_path):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=())
    learn.add_cb(lens)
    learn.fine_tune(1, 1e-3, freeze_epochs=1)
    before = load_run(lens.path)
    learn.lr_find(num_it=20, show_plot=False)
    run = load_run(lens.path)
    assert run.complete is True
    assert [p["status"] for p in run.phases] == ["finished", "finished"]
    assert len(run.timeline) == len(before.timeline)  # lr_find is not training
    (call,) = run.lr_finds
    assert call.iter == len(run.timeline) and call.frozen_idx == 0
    assert LrFindView.from_run(run).labels() == ["lr_find #1 (unfrozen)"]
    assert run.timeline.events[-1]["kind"] == "lr_find"
    assert (run.preds.phase, run.preds.epoch) == (1, 0)
    np.testing.assert_array_equal(run.preds.probs, before.preds.probs)


@pytest.mark.parametrize("how", ["add_cb_twice", "cbs_and_add_cb"])
def test_pet_lens_added_twice_records_once_and_says_so(make_learner, tmp_path, how):
    runs = tmp_path / "runs"
    first, second = PetLens(path=runs, saliency=()), PetLens(path=runs, saliency=())
    if how == "add_cb_twice":
        learn = make_learner()
        learn.add_cb(first)
    else:
        learn = make_learner(cbs=first)
    learn.add_cb(second)
    assert learn.pet_lens is second  # fastai's attribute names the last one added
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        learn.fit(1, 1e-3)
        learn.fit(1, 1e-3)
    notes = petlens_warnings(caught)
    assert len(notes) == 1 and "2 PetLens callbacks" in notes[0]
    assert "only the last one added records" in notes[0]
    assert first.path is None
    assert [p.name for p in runs.iterdir()] == [second.path.name]
    assert len(second.run.phases) == 2
