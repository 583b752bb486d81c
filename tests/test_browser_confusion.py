"""The confusion matrix at chapter 5's scale, in Chromium: 37 breeds readable without zooming
(in the report and in the standalone page, at 1280x720), errors visible in a 1000-class
overview, zoom feedback, the min_val control and the class filters."""

from __future__ import annotations

import numpy as np
import pytest
from browser import PageProbe
from playwright.sync_api import expect

from petlens import load_run
from petlens.demo.scale_run import write_run
from petlens.report import build_html
from petlens.standalone import standalone_page
from petlens.views import ConfusionMatrixView

LABEL_FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
LONG_NAMES = ("american_pit_bull_terrier", "staffordshire_bull_terrier", "english_cocker_spaniel")


@pytest.fixture(scope="module")
def pets37(tmp_path_factory):
    return load_run(write_run(tmp_path_factory.mktemp("pets37"), n_classes=37, n_items=1480))


def open_page(browser, path, html, width=1280, height=720) -> PageProbe:
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height})
    probe = PageProbe(page)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-petlens-painted]", timeout=20_000)
    return probe


def drawn(page) -> dict:
    """What the confusion view reports it drew (its root's data- attributes)."""
    return page.evaluate("() => ({...document.querySelector('.petlens-confusion').dataset})")


def pixel(page, x: float, y: float) -> list[int]:
    """RGB of the cell canvas at CSS point (x, y)."""
    return page.eval_on_selector("canvas.petlens-cells", """(canvas, [x, y]) => {
        const k = canvas.width / canvas.getBoundingClientRect().width;
        return [...canvas.getContext('2d').getImageData(Math.floor(x * k), Math.floor(y * k), 1, 1)
                .data.slice(0, 3)];
    }""", [x, y])


@pytest.mark.parametrize("where", ["report", "standalone"])
def test_37_breeds_every_name_and_count_without_zooming(browser, pets37, tmp_path, where):
    assert set(LONG_NAMES) <= set(pets37.vocab)
    state = ConfusionMatrixView.from_run(pets37).state()
    html = (build_html(pets37)[0] if where == "report" else
            standalone_page("confusion.js", state, title="cm"))
    probe = open_page(browser, tmp_path / f"{where}.html", html)
    shown = drawn(probe.page)
    assert float(shown["cellPx"]) >= 18, shown
    assert (shown["rowLabels"], shown["colLabels"], shown["labelsCut"]) == ("37", "37", "0"), shown
    assert int(shown["nonzeroCells"]) > 37 and shown["valuesDrawn"] == shown["nonzeroCells"], shown
    # the label band is as wide as the longest name in the label font (js/src/confusion/draw.js)
    widest, band = probe.page.evaluate("""([names, font]) => {
        const labels = document.querySelector('canvas.petlens-labels');
        const ctx = document.createElement('canvas').getContext('2d');
        ctx.font = font;
        const cells = document.querySelector('canvas.petlens-cells');
        return [Math.max(...names.map((n) => ctx.measureText(n).width)),
                cells.getBoundingClientRect().left - labels.getBoundingClientRect().left];
    }""", [pets37.vocab, LABEL_FONT])
    assert widest > 120 and widest < band < widest + 40, (widest, band)
    assert probe.errors == [] and probe.network_requests == []


def test_1000_classes_an_error_of_one_is_visible_in_the_overview(browser, tmp_path):
    n = 1000
    counts = np.zeros((n, n), np.int64)
    np.fill_diagonal(counts, 70)
    counts[100, 700] = 1  # one error far from the diagonal
    view = ConfusionMatrixView(counts, [f"class_{i:04d}" for i in range(n)],
                               {"alphabetical": list(range(n))}, order="alphabetical",
                               color_scale="log")
    probe = open_page(browser, tmp_path / "cm1000.html",
                      standalone_page("confusion.js", view.state(), title="cm"))
    page = probe.page
    shown = drawn(page)
    cell = float(shown["cellPx"])
    assert cell < 1 and shown["zoom"] == "1.000"

    def darkest(row, col):  # the darkest pixel around a cell (its pixel may be shared)
        return min((pixel(page, (col + 0.5) * cell + dx, (row + 0.5) * cell + dy)
                    for dx in (-1, 0, 1) for dy in (-1, 0, 1)), key=sum)

    background = darkest(100, 500)
    error = darkest(100, 700)
    assert background[0] > 240, background
    assert background[0] - error[0] > 40, (background, error)
    assert "Overview" in page.inner_text(".petlens-legend")


def test_zoom_in_is_disabled_at_the_deepest_zoom_and_the_level_shown(browser, pets37, tmp_path):
    view = ConfusionMatrixView.from_run(pets37)
    probe = open_page(browser, tmp_path / "zoom.html",
                      standalone_page("confusion.js", view.state(), title="cm"))
    page = probe.page
    zoom_in = page.locator(".petlens-zoom button").nth(1)
    expect(page.locator(".petlens-zoom-level")).to_have_text("1.0×")
    level = page.locator(".petlens-zoom-level")
    for _ in range(12):
        if zoom_in.is_disabled():
            break
        before = level.inner_text()
        zoom_in.click()
        # the next click waits for this one's redraw (the button may disable itself)
        expect(level).not_to_have_text(before)
    expect(zoom_in).to_be_disabled()
    expect(zoom_in).to_have_attribute("title", "Deepest zoom reached")
    assert float(drawn(page)["zoom"]) > 3
    expect(page.locator(".petlens-minimap")).to_be_visible()
    page.locator(".petlens-zoom button").nth(2).click()  # Reset
    expect(zoom_in).to_be_enabled()
    expect(page.locator(".petlens-minimap")).to_be_hidden()


def test_min_val_filters_the_most_confused_list(browser, pets37, tmp_path):
    view = ConfusionMatrixView.from_run(pets37)
    probe = open_page(browser, tmp_path / "min.html",
                      standalone_page("confusion.js", view.state(), title="cm"))
    page = probe.page
    entries = page.locator(".petlens-confused button")
    for min_val in (1, 3, view.min_val, 1000):
        page.fill(".petlens-min-val", str(min_val))
        page.press(".petlens-min-val", "Enter")
        expected = pets37.most_confused(min_val=min_val)[:50]
        expect(entries).to_have_count(len(expected))
        assert probe.model("min_val") == min_val
        if expected:
            actual, predicted, count = expected[0]
            first = entries.first
            assert first.locator(".petlens-pair").inner_text() == f"{actual} → {predicted}"
            assert first.locator(".petlens-count").inner_text() == str(count)


def test_setting_filter_actual_highlights_the_row_and_the_matching_entries(browser, pets37,
                                                                           tmp_path):
    view = ConfusionMatrixView.from_run(pets37, order="alphabetical")
    probe = open_page(browser, tmp_path / "filter.html",
                      standalone_page("confusion.js", view.state(), title="cm"))
    page = probe.page
    actual, predicted, _ = pets37.most_confused(min_val=view.min_val)[0]
    a, p = pets37.vocab.index(actual), pets37.vocab.index(predicted)
    row = view.orders["alphabetical"].index(a)
    cell = float(drawn(page)["cellPx"])
    zero_col = next(c for c in range(37) if view.counts[a, view.orders["alphabetical"][c]] == 0)
    at = ((zero_col + 0.5) * cell, (row + 0.5) * cell)
    before = pixel(page, *at)
    page.evaluate("(a) => window.petlensModel.set('filter_actual', a)", a)
    page.wait_for_timeout(100)
    after = pixel(page, *at)
    assert before[2] - after[2] > 15 and after[0] >= after[2], (before, after)  # tinted orange
    matches = page.locator(".petlens-confused button.petlens-match .petlens-pair")
    expect(matches.first).to_have_text(f"{actual} → {predicted}")
    assert all(t.startswith(f"{actual} →") for t in matches.all_inner_texts())
    page.evaluate("(p) => window.petlensModel.set('filter_predicted', p)", p)
    expect(matches).to_have_count(1)
    assert probe.errors == []
