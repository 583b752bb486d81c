"""Each view renders from real run data, through its own bundle, in headless Chromium."""

from __future__ import annotations

from browser import open_html

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
