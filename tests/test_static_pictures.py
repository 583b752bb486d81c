"""The static pictures, what readers without a kernel see (GitHub, nbviewer, an executed
notebook): legible at 12, 37 and 1000 classes (real matplotlib, real renderer boxes), true to
fastai's numbers, and shown offline by nbconvert's HTML."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import replace
from pathlib import Path

import matplotlib
import nbformat
import numpy as np
import pytest
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image

from petlens import load_run
from petlens.demo.scale_run import write_run
from petlens.demo.synthetic import make_pets
from petlens.views import ConfusionMatrixView, LrFindView, TimelineView, TopLossesView
from petlens.views._plotting import DPI, FONT_FLOOR, WIDTH, png_bytes
from petlens.views.dashboard import PANELS, DashboardView

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """``runs(n)``: a written run of ``n`` classes (cached), thumbnails from synthetic pets."""
    images = make_pets(tmp_path_factory.mktemp("pets"), n_classes=12, per_class=3,
                       size=96) / "images"
    cache = {}

    def get(n: int, vocab=None):
        key = (n, tuple(vocab or ()))
        if key not in cache:
            root = tmp_path_factory.mktemp(f"run{n}")
            cache[key] = load_run(write_run(root, n_classes=n, n_items=min(40 * n, 3000),
                                            images=images if n <= 40 else None,
                                            vocab=vocab))
        return cache[key]

    return get


def drawn(fig):
    """``fig`` drawn by Agg; returns the renderer whose boxes the layout produced."""
    fig.canvas.draw()
    return fig.canvas.get_renderer()


def texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def overlap(a: Bbox, b: Bbox) -> bool:
    box = Bbox.intersection(a, b)
    return box is not None and box.width > 0.5 and box.height > 0.5


def png_size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as img:
        return img.size


@pytest.mark.parametrize("n", [12, 37])
def test_confusion_cells_show_their_counts_inside_the_cell(runs, n):
    run = runs(n)
    view = ConfusionMatrixView.from_run(run, order="alphabetical").plot()
    renderer = drawn(view.ax_.figure)
    order = view.orders["alphabetical"]
    counts = run.confusion_matrix()[np.ix_(order, order)]
    shown = {(int(t.get_position()[1]), int(t.get_position()[0])): t for t in view.ax_.texts}
    assert set(shown) == set(zip(*map(list, np.nonzero(counts)), strict=True))
    cell = view.ax_.transData.transform([[0, 0], [1, 1]])
    cell_px = abs(cell[1, 0] - cell[0, 0])
    for (i, j), text in shown.items():
        assert text.get_text() == str(counts[i, j])
        assert text.get_fontsize() >= FONT_FLOOR
        assert text.get_window_extent(renderer).width <= cell_px  # stays in its cell
    assert [t.get_text() for t in view.ax_.get_yticklabels()] == [run.vocab[i] for i in order]


def test_normalized_cells_show_percentages(runs):
    view = ConfusionMatrixView.from_run(runs(12), normalize="true").plot()
    order = view.orders[view.order]
    rows = {}
    for t in view.ax_.texts:
        rows.setdefault(int(t.get_position()[1]), []).append(int(t.get_text()))
    assert set(rows) == set(range(len(order)))
    assert all(abs(sum(row) - 100) <= len(row) for row in rows.values())  # rounding only


def test_a_thousand_classes_keep_every_confusion_visible(runs):
    run = runs(1000)
    view = ConfusionMatrixView.from_run(run, color_scale="linear").plot()
    shown = view.ax_.images[0].get_array()
    assert max(shown.shape) <= 250 and not view.ax_.texts
    assert shown.max() == run.confusion_matrix().max()
    off = run.confusion_matrix() * (1 - np.eye(1000, dtype=int))
    i, j = np.unravel_index(off.argmax(), off.shape)  # the worst confusion survives pooling
    position = {c: k for k, c in enumerate(view.orders[view.order])}
    block = -(-1000 // shown.shape[0])
    assert shown[position[i] // block, position[j] // block] >= off[i, j]
    assert "largest of 4 × 4 cells" in view.ax_.get_xlabel()
    assert not [t for t in view.ax_.get_xticklabels() if t.get_text()]


@pytest.mark.parametrize("n", [12, 37, 1000])
def test_dashboard_picture_is_legible(runs, n):
    view = DashboardView.from_run(runs(n))
    png = view.png()
    width, height = png_size(png)
    assert (width, height) == (round(WIDTH * DPI), round(view.figsize()[1] * DPI))
    fig = view.plot().fig_
    drawn(fig)
    assert len(fig.subfigs) == len(PANELS)
    small = [(t.get_text(), t.get_fontsize()) for t in texts(fig)
             if t.get_fontsize() < FONT_FLOOR]
    assert not small
    titles = {ax.get_title() for ax in fig.axes}
    assert {"Learning-rate finder", "Unfreezing timeline",
            "Confusion matrix (clustered order)"} <= titles


@pytest.mark.parametrize("n", [12, 37])
def test_top_loss_titles_do_not_overlap(runs, n):
    view = DashboardView.from_run(runs(n)).plot()
    renderer = drawn(view.fig_)
    top = view.views["top_losses"]
    titles = [tile.title.get_window_extent(renderer) for tile in top.tiles_]
    frames = [tile.get_window_extent(renderer) for tile in top.tiles_]
    header = top.ax_.title.get_window_extent(renderer)
    assert len(titles) == 8
    for k, title in enumerate(titles):
        assert not overlap(title, header)
        assert not [m for m, other in enumerate(titles) if m != k and overlap(title, other)]
        assert not [m for m, frame in enumerate(frames) if overlap(title, frame)]
    assert top.tiles_[0].get_title().splitlines()[0] == top.vocab[top.decoded[top.top(1)[0]]]


def test_top_losses_plot_refuses_bad_arguments(runs):
    view = TopLossesView.from_run(runs(12))
    with pytest.raises(ValueError, match="k=0"):
        view.plot(k=0)


def test_freeze_and_unfreeze_labels_stay_apart_on_a_short_frozen_phase(runs):
    run = runs(12)
    short = [{"kind": "freeze", "iter": 0}, {"kind": "unfreeze", "iter": 3},
             {"kind": "freeze", "iter": 300}, {"kind": "unfreeze", "iter": 301}]
    view = TimelineView.from_run(run)
    view = replace(view, timeline=replace(view.timeline, events=short)).plot()
    renderer = drawn(view.ax_.figure)
    labels = [t for t in view.ax_.texts if t.get_text() in ("freeze", "unfreeze")]
    assert [t.get_text() for t in labels] == ["freeze", "unfreeze", "freeze", "unfreeze"]
    boxes = [t.get_window_extent(renderer) for t in labels]
    title = view.ax_.title.get_window_extent(renderer)
    for k, box in enumerate(boxes):
        assert not overlap(box, title)
        assert not [m for m in range(len(boxes)) if m != k and overlap(box, boxes[m])]
    assert all(t.get_fontsize() >= FONT_FLOOR for t in labels)


def test_lr_legend_gives_what_lr_find_returned(session_run):
    view = LrFindView.from_run(session_run["lens"].run).plot()
    legend = {}
    for text in view.ax_.get_legend().get_texts():
        name, _, value = text.get_text().strip().partition(" ")
        legend[name] = value
    suggested = session_run["suggested"]
    for name in ("valley", "slide", "minimum", "steep"):
        assert legend[name] == f"{getattr(suggested, name):.1e}"
    # minimum is drawn where fastai draws it (the lowest loss), ten times the suggestion
    (call,) = view.calls
    assert call.points["minimum"][0] == pytest.approx(10 * suggested.minimum, rel=1e-3)


def test_run_strings_are_drawn_as_literal_text(runs):
    vocab = ["$\\nope$", "<b>bold</b>", "a_$x^2$"] + [f"class {i}" for i in range(9)]
    run = runs(12, vocab=vocab)
    view = DashboardView.from_run(run)
    assert png_size(view.png())[0] == round(WIDTH * DPI)  # invalid TeX would raise here
    cm = view.views["confusion"]
    labels = {t.get_text(): t for t in cm.ax_.get_xticklabels()}
    assert set(vocab) <= set(labels)
    assert not labels["$\\nope$"].get_parse_math()


def test_widgets_carry_their_picture(runs):
    run = runs(12)
    for png in (run.show().picture()["image/png"],
                ConfusionMatrixView.from_run(run).widget().picture()["image/png"]):
        assert png_size(base64.b64decode(png))[0] == round(WIDTH * DPI)
    view = TimelineView.from_run(run)
    assert png_size(png_bytes(view)) == (round(WIDTH * DPI), round(view.figsize()[1] * DPI))


# -- nbconvert's HTML of an executed notebook, opened offline ----------------------------------

NOTEBOOK = """\
from pathlib import Path
from petlens import load_run
from petlens.demo.scale_run import write_run
load_run(write_run(Path("runs"), n_classes=12, n_items=240)).show()
"""


def executed_html(folder: Path, **client_options) -> str:
    """The notebook above executed by nbclient (``client_options`` on its defaults), saved and
    converted by nbconvert's HTML exporter as ``jupyter nbconvert --to html`` does."""
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    NotebookClient(nb, timeout=300, resources={"metadata": {"path": str(folder)}},
                   **client_options).execute()
    path = folder / "executed.ipynb"
    nbformat.write(nb, path)
    html, _ = HTMLExporter().from_filename(str(path))
    return html


def offline_output_images(browser, folder: Path, html: str) -> list[dict]:
    """Open ``html`` with every network request refused; the images of cell outputs, and
    the requests the page tried that its own template did not ask for."""
    from browser import PageProbe

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    probe = PageProbe(page)
    page.route(re.compile(r"^https?://"), lambda route: route.abort())
    path = folder / "executed.html"
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all(".jp-OutputArea-output img", """(imgs) => imgs.map(
        (img) => { const r = img.getBoundingClientRect();
                   return {src: img.src.slice(0, 22), w: img.naturalWidth, h: img.naturalHeight,
                           shown: r.width * r.height, visible: img.checkVisibility()}; })""")
    template = set(re.findall(r'src="(https?://[^"]+)"', html))
    unexpected = [u for u in probe.network_requests if u not in template
                  and "@jupyter-widgets/html-manager" not in u]
    page.close()
    return images, unexpected


def test_executed_notebook_without_widget_state_shows_the_picture_offline(browser, tmp_path):
    """A notebook saved without widget state (JupyterLab's default, or nbclient told not to
    store it): the widget's output is its name, the next output the dashboard picture."""
    html = executed_html(tmp_path, store_widget_state=False)
    images, unexpected = offline_output_images(browser, tmp_path, html)
    assert not unexpected
    (image,) = images
    assert image["src"] == "data:image/png;base64,"
    assert image["visible"] and image["shown"] > 0
    assert image["w"] == round(WIDTH * DPI) and image["h"] > 1000


def test_executed_notebook_with_nbclient_defaults_shows_the_picture_offline(browser, tmp_path):
    images, _ = offline_output_images(browser, tmp_path, executed_html(tmp_path))
    assert [i for i in images if i["visible"] and i["shown"] > 0 and i["w"] > 0]
