"""Each view renders from real run data, through its own bundle, in headless Chromium."""

from __future__ import annotations

import re

import pytest
from browser import open_html
from playwright.sync_api import expect

from petlens.standalone import standalone_page
from petlens.views import ConfusionMatrixView


def test_confusion_matrix_renders_and_a_click_selects_a_cell(browser, session_run, tmp_path):
    run = session_run["lens"].run
    view = ConfusionMatrixView.from_run(run, order="alphabetical")
    probe = open_html(browser, tmp_path / "cm.html",
                      standalone_page("confusion.js", view.state(), title="cm"))
    page = probe.page
    assert probe.painted_pixels("canvas.petlens-cells") > 1000
    box = page.locator("canvas.petlens-cells").bounding_box()
    c = len(run.vocab)
    # the canvas shows the whole matrix at first: click the middle of cell (row 1, column 0)
    cell_w, cell_h = box["width"] / c, box["height"] / c
    page.mouse.click(box["x"] + 0.5 * cell_w, box["y"] + 1.5 * cell_h)
    order = view.orders["alphabetical"]
    assert probe.model("selection") == [order[1], order[0]]
    assert "Actual" in page.inner_text("body") and "Predicted" in page.inner_text("body")
    assert probe.errors == [] and probe.network_requests == []


def test_top_loss_browser_lists_items_by_loss(browser, session_run, tmp_path):
    from petlens.views import TopLossesView

    run = session_run["lens"].run
    view = TopLossesView.from_run(run)
    probe = open_html(browser, tmp_path / "tl.html",
                      standalone_page("top_losses.js", view.state(), title="tl"))
    page = probe.page
    n = len(run.preds)
    assert page.inner_text(".petlens-count").startswith(f"{n} items")
    cards = page.locator(".petlens-losses .petlens-card-text")
    assert cards.count() == min(n, 24)
    top = int(view.top(1)[0])
    first = cards.first.inner_text()
    assert f"pred {run.vocab[run.preds.decoded[top]]}" in first.replace("\n", " ")
    assert page.locator(".petlens-losses img").count() > 0  # thumbnails decoded from JPEG
    page.evaluate("() => { window.petlensModel.set('filter_actual', 0); }")
    expected = int((run.preds.targets == 0).sum())
    expect(page.locator(".petlens-count")).to_have_text(re.compile(f"^{expected} of {n} items"))
    assert probe.errors == [] and probe.network_requests == []


def test_lr_finder_click_picks_a_rate_and_shows_a_copyable_line(browser, session_run, tmp_path):
    from petlens.views import LrFindView

    run = session_run["lens"].run
    probe = open_html(browser, tmp_path / "lr.html",
                      standalone_page("lr_find.js", LrFindView.from_run(run).state(),
                                      title="lr"))
    page = probe.page
    canvas = page.locator(".petlens-lrfind canvas").first
    assert probe.painted_pixels(".petlens-lrfind canvas") > 1000
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    lr = probe.model("selected_lr")
    assert lr is not None and 1e-7 <= lr <= 10
    code = page.locator(".petlens-pick-code")
    # the run's lr_find is unfrozen and its last fit has 1 epoch (tests/test_browser_lr_timeline.py)
    expect(code).to_have_value(
        re.compile(r"^learn\.fit_one_cycle\(1, lr_max=slice\(\S+, [0-9.e+-]+\)\)$"))
    line = code.input_value()
    assert float(line.split(", ")[-1][:-2]) == pytest.approx(lr, rel=0.05)
    for name in ("Valley", "Slide", "Minimum", "Steep"):
        assert name in page.inner_text(".petlens-suggestions")


def test_timeline_animates(browser, session_run, tmp_path):
    from petlens.views import TimelineView

    run = session_run["lens"].run
    state = {**TimelineView.from_run(run).state(), "cursor": 0}
    probe = open_html(browser, tmp_path / "time.html",
                      standalone_page("timeline.js", state, title="timeline"))
    page = probe.page
    groups = page.inner_text(".petlens-timeline")
    for group in run.layer_groups:
        assert group["name"] in groups
    assert probe.painted_pixels(".petlens-timeline canvas") > 1000
    before = page.locator(".petlens-timeline").screenshot()
    page.click(".petlens-tl-play")
    page.wait_for_timeout(1500)
    assert probe.model("cursor") > 0  # the cursor moved on its own: the timeline plays
    assert page.locator(".petlens-timeline").screenshot() != before  # and the frame changed
    assert probe.errors == []
