"""The compare view's front end in real Chromium (the compare.js bundle on a standalone page of
CompareView's state): the difference matrix at 37 classes (every name and changed value drawn,
zero cells neutral, big changes saturated, in the light and the dark theme), a cell click that
filters the items as numpy says it should, the detail with both runs' saliency maps drawn, and
hostile names inert. The comparison's numbers and the CLI page are tests/test_browser_compare.py."""

from __future__ import annotations

import numpy as np
import pytest
from browser import PageProbe

from petlens.demo.scale_run import scale_vocab, write_run
from petlens.jpeg import array_jpeg
from petlens.standalone import standalone_page
from petlens.views.compare_view import CompareView

EVIL = "<img src=x onerror=alert(1)>"
N_CLASSES, N_ITEMS = 37, 1480

# The RGB of the cell canvas at CSS point (x, y) of it (the page is at device pixel ratio 1).
PIXEL = """([x, y]) => {
  const canvas = document.querySelector('canvas.petlens-cells');
  const { data } = canvas.getContext('2d').getImageData(Math.round(x), Math.round(y), 1, 1);
  return [...data].slice(0, 3);
}"""


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    root = tmp_path_factory.mktemp("compare")
    vocab = [*scale_vocab(N_CLASSES)[:-1], EVIL]
    a = write_run(root / "a", n_classes=N_CLASSES, n_items=N_ITEMS, vocab=vocab, accuracy=0.8)
    b = write_run(root / "b", n_classes=N_CLASSES, n_items=N_ITEMS, vocab=vocab, accuracy=0.9,
                  prediction_seed=3)
    state = CompareView.from_runs(a, b).state()
    # Stored maps of A and B for the first broken item (the runs hold no saliency of their own).
    item = int(np.flatnonzero(state["change"] == 2)[0])
    yy, xx = np.mgrid[0:64, 0:64]
    blob = lambda cx, cy: (255 * np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 200)).astype(np.uint8)  # noqa: E731
    state["saliency"] = [{"index": item, "run": run, "method": "gradcam", "target": "pred",
                          "jpeg": array_jpeg(blob(cx, 32))} for run, cx in (("a", 20), ("b", 44))]
    state["items"][item] = f"{EVIL}.jpg"
    state["notices"] = [f"class {EVIL} compared"]
    return state


def open_page(browser, tmp_path, state, *, width=1280, height=720, scheme="light", **traits):
    path = tmp_path / "compare.html"
    path.write_text(standalone_page("compare.js", {**state, **traits}, title="compare"),
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
    probe = PageProbe(page)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-petlens-painted]", timeout=30_000)
    return probe


def differences(state):
    """B − A of the row shares, and the display order."""
    a, b = (np.asarray(state[k], float) for k in ("counts_a", "counts_b"))
    share = lambda m: np.divide(m, m.sum(1, keepdims=True), out=np.zeros_like(m),  # noqa: E731
                                where=m.sum(1, keepdims=True) > 0)
    return share(b) - share(a), a, b, list(state["orders"][state["order"]])


def cell_box(page, state, actual, predicted):
    """CSS box (x, y, side) of the cell (class indices) in the cell canvas."""
    order = list(state["orders"][state["order"]])
    side = page.evaluate("parseFloat(document.querySelector('canvas.petlens-cells').style.width)")
    cell = side / len(order)
    return order.index(predicted) * cell, order.index(actual) * cell, cell


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_matrix_at_37_classes_reads_at_a_glance(browser, tmp_path, state, scheme):
    probe = open_page(browser, tmp_path, state, scheme=scheme)
    page = probe.page
    root = page.locator(".petlens-compare")
    assert root.get_attribute("data-cell-px") == "19.00"
    assert root.get_attribute("data-row-labels") == str(N_CLASSES)
    assert root.get_attribute("data-col-labels") == str(N_CLASSES)
    diff, a, b, _ = differences(state)
    changed = int(np.count_nonzero(diff))
    assert int(root.get_attribute("data-changed-cells")) == changed
    # Every changed cell shows its value (condensed where "+24" is a little wide).
    assert int(root.get_attribute("data-values-drawn")) == changed
    # Zero cells: the neutral middle (near white in light, near black in dark); the largest
    # change off the diagonal: saturated, red when B has more, blue when fewer.
    zero = next((r, c) for r in range(N_CLASSES) for c in range(N_CLASSES)
                if a[r, c] == 0 and b[r, c] == 0)
    off = np.where(np.eye(N_CLASSES, dtype=bool), 0, np.abs(diff))
    big = np.unravel_index(np.argmax(off), off.shape)
    x, y, cell = cell_box(page, state, *zero)
    neutral = page.evaluate(PIXEL, [x + cell / 2, y + cell / 2])
    x, y, cell = cell_box(page, state, *big)
    loud = page.evaluate(PIXEL, [x + 4, y + 4])
    if scheme == "light":
        assert min(neutral) > 235 and max(neutral) - min(neutral) < 10, neutral
    else:
        assert max(neutral) < 70, neutral
    red, blue = (loud[0], loud[2]) if diff[big] > 0 else (loud[2], loud[0])
    assert red - blue > 60, (loud, diff[big])
    assert not probe.errors and not probe.network_requests


def test_a_cell_click_filters_the_items_of_that_cell_in_a_or_b(browser, tmp_path, state):
    probe = open_page(browser, tmp_path, state, width=1400, height=1000)
    page = probe.page
    diff, *_ = differences(state)
    off = np.where(np.eye(N_CLASSES, dtype=bool), 0, np.abs(diff))
    actual, predicted = (int(i) for i in np.unravel_index(np.argmax(off), off.shape))
    x, y, cell = cell_box(page, state, actual, predicted)
    box = page.locator("canvas.petlens-cells").bounding_box()
    page.mouse.click(box["x"] + x + cell / 2, box["y"] + y + cell / 2)
    assert probe.model("selection") == [actual, predicted]
    expected = np.flatnonzero(((state["actual_a"] == actual) & (state["pred_a"] == predicted))
                              | ((state["actual_b"] == actual) & (state["pred_b"] == predicted)))
    probe.wait_until("(n) => document.querySelector('.petlens-compare').dataset.items === n",
                     str(len(expected)))
    shown = page.eval_on_selector_all(".petlens-cmp-card",
                                      "cards => cards.map(c => Number(c.dataset.index))")
    assert set(shown) <= set(expected.tolist())
    assert len(shown) == min(24, len(expected))
    # The tooltip of a hovered cell says A's, B's and the difference.
    page.mouse.move(box["x"] + x + cell / 2, box["y"] + y + cell / 2 + 1)
    tooltip = page.locator(".petlens-compare .petlens-tooltip")
    assert "B − A" in tooltip.inner_text()
    assert not probe.errors and not probe.network_requests


def test_detail_draws_both_runs_maps_and_names_stay_text(browser, tmp_path, state):
    item = state["saliency"][0]["index"]
    probe = open_page(browser, tmp_path, state, width=1400, height=1000, selected_item=item,
                      change_filter="broken")
    page = probe.page
    probe.wait_until("""() => [...document.querySelectorAll('.petlens-cmp-figure canvas')]
        .filter((c) => !c.hidden).length === 2""")
    for run in ("a", "b"):
        assert probe.painted_pixels(f".petlens-cmp-sidecol[data-run='{run}'] canvas") > 100
    # The maps differ (A's blob on the left, B's on the right): the canvases are not the same.
    left, right = (page.eval_on_selector(f".petlens-cmp-sidecol[data-run='{run}'] canvas",
                                         "c => c.toDataURL()") for run in ("a", "b"))
    assert left != right
    assert page.locator(".petlens-cmp-detail h4").inner_text() == f"{EVIL}.jpg"
    assert EVIL in page.locator(".petlens-cmp-notices").inner_text()
    assert page.locator("img[src='x']").count() == 0
    assert not probe.errors and not probe.network_requests
