"""The embeddings scatter in real Chromium, from its bundle (``standalone_page("embeddings.js",
EmbeddingsView(...).state())``): 50,000 points painted on one canvas, a box selection writing
``item_selection`` (the indices numpy finds in the same box, and an alt-drag lasso those
matplotlib finds in the polygon), hover naming hostile class and
file names as text, a click showing the nearest training images, and the notice instead of an
empty canvas; in the report, a confusion cell highlighting its points and a box selection
filtering the top-loss browser."""

from __future__ import annotations

import numpy as np
import pytest
from browser import PageProbe, screen_points

from petlens.demo.scale_run import confused_predictions, scale_vocab
from petlens.standalone import standalone_page
from petlens.views.embeddings_view import NEIGHBOUR_TRAITS, EmbeddingsView

EVIL = '<img src=x onerror="window.__pwned=1">'


def scatter_view(n_classes: int, n_items: int, *, vocab=None, k: int = 5, seed: int = 0,
                 **options) -> EmbeddingsView:
    """A view of ``n_items`` points in ``n_classes`` clusters (mistakes between two clusters),
    ``k`` neighbours each among as many training images; no run needed."""
    targets, decoded, probs = confused_predictions(n_classes, n_items, seed=seed)
    rng = np.random.default_rng(seed)
    angle = rng.random(n_classes) * 2 * np.pi
    radius = 2 + 8 * rng.random(n_classes)
    centres = np.stack([radius * np.cos(angle), radius * np.sin(angle)], 1)
    xy = centres[targets] * 0.7 + centres[decoded] * 0.3 + rng.normal(0, 0.4, (n_items, 2))
    train_labels = rng.integers(0, n_classes, n_items).astype(np.int32)
    return EmbeddingsView(
        vocab or scale_vocab(n_classes), [f"valid/{i:06d}.jpg" for i in range(n_items)],
        targets.astype(np.int32), decoded.astype(np.int32),
        (-np.log(probs[np.arange(n_items), targets].astype(np.float32) + 1e-6)),
        xy=xy.astype(np.float32),
        projection_info={"method": "umap", "pca_dims": 50, "n_neighbors": 15,
                         "min_dist": 0.1, "seed": 0, "n_items": n_items, "n_features": 512,
                         "seconds": 1.0, "cached": True},
        label_quality=rng.random(n_items).astype(np.float32),
        neighbour_index=rng.integers(0, n_items, (n_items, k)).astype(np.int32),
        neighbour_distance=np.sort(rng.random((n_items, k)).astype(np.float32) / 2, 1),
        neighbour_items=[f"train/{j:06d}.jpg" for j in range(n_items)],
        neighbour_labels=train_labels, neighbour_source="train", **options)


def open_view(browser, tmp_path, view: EmbeddingsView, width=1280, height=720) -> PageProbe:
    page_file = tmp_path / "embeddings.html"
    page_file.write_text(standalone_page("embeddings.js", view.state(), title="embeddings",
                                         later=NEIGHBOUR_TRAITS), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": height})
    probe = PageProbe(page)
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-petlens-painted]", timeout=60_000)
    return probe


def drawn(page) -> dict:
    return page.evaluate("() => ({...document.querySelector('.petlens-embeddings').dataset})")


def test_50000_points_paint_on_one_canvas(browser, tmp_path):
    probe = open_view(browser, tmp_path, scatter_view(1000, 50_000, k=2))
    shown = drawn(probe.page)
    assert (shown["points"], shown["drawn"], shown["colorBy"]) == ("50000", "50000", "actual")
    assert probe.page.locator(".petlens-embeddings canvas").count() == 2  # points + overlay
    # the points canvas is covered in good part (discs of 1.6 px at 50,000 points)
    canvas = "canvas.petlens-emb-points"
    size = probe.page.eval_on_selector(canvas, "(c) => c.width * c.height")
    assert probe.painted_pixels(canvas) > 0.2 * size
    legend = probe.page.locator(".petlens-emb-legend .petlens-emb-name")
    assert legend.count() == 15  # the largest classes, the others by search
    probe.page.fill(".petlens-emb-search", "class_0999")
    assert legend.all_text_contents() == ["class_0999"]
    assert probe.errors == [] and probe.network_requests == []


def test_box_and_lasso_selections_write_the_items_inside(browser, tmp_path):
    view = scatter_view(12, 3000)
    probe = open_view(browser, tmp_path, view)
    page = probe.page
    box = page.locator("canvas.petlens-emb-overlay").bounding_box()
    side = box["width"]
    at = screen_points(view.xy.astype(np.float64), side)
    x0, y0, x1, y1 = 0.3 * side, 0.25 * side, 0.7 * side, 0.6 * side
    expected = np.flatnonzero((at[:, 0] >= x0) & (at[:, 0] <= x1)
                              & (at[:, 1] >= y0) & (at[:, 1] <= y1))
    assert 50 < len(expected) < 3000
    page.keyboard.down("Shift")
    page.mouse.move(box["x"] + x0, box["y"] + y0)
    page.mouse.down()
    page.mouse.move(box["x"] + (x0 + x1) / 2, box["y"] + (y0 + y1) / 2, steps=3)
    page.mouse.move(box["x"] + x1, box["y"] + y1, steps=3)
    page.mouse.up()
    page.keyboard.up("Shift")
    assert probe.model("item_selection") == expected.tolist()
    probe.wait_until("(n) => document.querySelector('.petlens-embeddings')"
                     ".dataset.highlighted === String(n)", len(expected))
    assert f"{len(expected):,} selected" in page.locator(".petlens-emb-caption").inner_text()
    page.keyboard.press("Escape")
    assert probe.model("item_selection") is None
    # alt-drag: a lasso (a triangle), the points inside it
    from matplotlib.path import Path as Polygon

    corners = [(0.2 * side, 0.2 * side), (0.8 * side, 0.3 * side), (0.4 * side, 0.85 * side)]
    inside = np.flatnonzero(Polygon(corners).contains_points(at))
    assert 50 < len(inside) < 3000
    page.keyboard.down("Alt")
    page.mouse.move(box["x"] + corners[0][0], box["y"] + corners[0][1])
    page.mouse.down()
    for x, y in corners[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=8)
    page.mouse.up()
    page.keyboard.up("Alt")
    assert probe.model("item_selection") == inside.tolist()
    assert probe.errors == []


def test_hover_and_click_name_hostile_strings_as_text(browser, tmp_path):
    vocab = [EVIL, "Birman", "Ragdoll", "<b>bold</b>", "Siamese"]
    view = scatter_view(5, 400, vocab=vocab)
    view.items[0] = EVIL + ".jpg"
    view.neighbour_items[int(view.neighbour_index[0, 0])] = "<script>x()</script>.jpg"
    probe = open_view(browser, tmp_path, view, 1400, 1000)
    page = probe.page
    box = page.locator("canvas.petlens-emb-overlay").bounding_box()
    x, y = screen_points(view.xy.astype(np.float64), box["width"])[0]
    page.mouse.move(box["x"] + x, box["y"] + y)
    tooltip = page.locator(".petlens-embeddings .petlens-tooltip")
    tooltip.wait_for(state="visible")
    text = tooltip.inner_text()
    assert EVIL + ".jpg" in text
    assert vocab[int(view.targets[0])] in text and vocab[int(view.decoded[0])] in text
    page.mouse.down()
    page.mouse.up()
    assert probe.model("selected_item") == 0
    strip = page.locator(".petlens-emb-neighbours")
    strip.wait_for(state="visible")
    assert strip.locator("h4").inner_text() == "Nearest training images"
    assert "<script>x()</script>.jpg" in strip.inner_text()
    cards = strip.locator(".petlens-emb-card")
    assert cards.count() == 1 + view.neighbour_index.shape[1]
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x], b, script:not([type]):not([nonce])").count() == 0
    assert probe.errors == []


@pytest.mark.parametrize("notice", ["No embeddings: this run was recorded without embeddings: "
                                    "use PetLens(embeddings=True)", ""])
def test_the_notice_replaces_the_canvas(browser, tmp_path, notice):
    targets = np.array([0, 1], np.int32)
    view = EmbeddingsView(["a", "b"], ["x.jpg", "y.jpg"], targets, targets,
                          np.zeros(2, np.float32), notice=notice)
    probe = open_view(browser, tmp_path, view)
    shown = probe.page.locator(".petlens-embeddings .petlens-notice")
    assert shown.is_visible()
    assert shown.inner_text() == (notice or "No embeddings to show: the run has no "
                                            "projected features.")
    assert not probe.page.locator(".petlens-emb-overlay").is_visible()
    assert probe.errors == []


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    """The report of a 12-class run recorded with validation features only (neighbours:
    other validation items)."""
    from petlens import load_run
    from petlens.demo.scale_run import write_run
    from petlens.report import build_html

    root = tmp_path_factory.mktemp("emb-report")
    run = load_run(write_run(root / "runs", n_classes=12, n_items=400, embeddings=32))
    page_file = root / "report.html"
    page_file.write_text(build_html(run)[0], encoding="utf-8")
    return page_file, run.preds.targets, run.preds.decoded


def test_in_the_report_a_cell_highlights_and_a_box_filters_the_top_losses(browser, report_page):
    page_file, targets, decoded = report_page
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    probe = PageProbe(page)
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-petlens-painted]", timeout=60_000)
    panel = page.locator("section[data-panel=embeddings]")
    root = panel.locator(".petlens-embeddings")
    assert root.get_attribute("data-drawn") == "400"
    # a confusion cell (set as a click on it would) highlights its points
    actual, predicted = int(targets[0]), int(decoded[0])
    expected = int(np.sum((targets == actual) & (decoded == predicted)))
    page.evaluate(f"window.petlensModel.set('selection', [{actual}, {predicted}])")
    probe.wait_until("(n) => document.querySelector('.petlens-embeddings')"
                     ".dataset.highlighted === String(n)", expected)
    page.evaluate("window.petlensModel.set('selection', null)")
    # a box over the left half: the top-loss browser shows only those items
    panel.scroll_into_view_if_needed()
    box = panel.locator("canvas.petlens-emb-overlay").bounding_box()
    page.keyboard.down("Shift")
    page.mouse.move(box["x"] + 2, box["y"] + 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2, steps=4)
    page.mouse.up()
    page.keyboard.up("Shift")
    chosen = probe.model("item_selection")
    assert chosen and 0 < len(chosen) < 400
    cards = page.locator("section[data-panel=top_losses] [data-index]")
    cards.first.wait_for()
    probe.wait_until(
        "(chosen) => [...document.querySelectorAll('section[data-panel=top_losses] "
        "[data-index]')].every((c) => chosen.includes(Number(c.dataset.index)))", chosen)
    assert probe.errors == [] and probe.network_requests == []
