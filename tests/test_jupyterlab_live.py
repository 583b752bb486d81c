"""Watching it train, end to end in a real JupyterLab 4 and a real Notebook 7: one cell shows
the dashboard before any training, the next runs ``fine_tune``; while it runs the timeline is
redrawn as iterations arrive and the header's epoch counter advances; after it ends the
dashboard says "finished" and its confusion matrix is the run's on disk, cell by cell."""

from __future__ import annotations

import hashlib
import itertools
import re

import nbformat
import pytest
from browser import PageProbe
from playwright.sync_api import expect
from test_jupyterlab import run_all_cells, serve, wait_for_prompts

from petlens import load_run
from petlens.views import ConfusionMatrixView

pytestmark = pytest.mark.slow

NOTEBOOK = "petlens-live.ipynb"
CELLS = [
    "import time\n"
    "from fastai.vision.all import *\n"
    "from petlens import PetLens\n"
    "from petlens.demo import make_pets, pets_dataloaders\n"
    'path = make_pets("pets-live", n_classes=4, per_class=20, size=48)\n'
    "set_seed(0, reproducible=True)\n"
    "dls = pets_dataloaders(path, item_size=40, size=32, bs=8)\n"
    "class Steady(Callback):  # a floor under each batch: a fast machine still shows updates\n"
    "    def after_batch(self): time.sleep(0.05)\n"
    "learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate,\n"
    "                       cbs=[PetLens(), Steady()])",
    "learn.pet_lens.show()",
    "learn.fine_tune(2, base_lr=1e-3)",
]
WAIT_MS = 5 * 60_000
SAMPLE = """() => {
    const dash = document.querySelector('.jp-OutputArea-output .petlens-dashboard');
    if (!dash) return null;
    const header = dash.querySelector('.petlens-dash-header');
    const canvas = dash.querySelector('.petlens-panel-timeline canvas.petlens-tl-data');
    const shown = canvas && canvas.closest('.petlens-tl-content:not([hidden])');
    return {status: header.dataset.status, epoch: header.dataset.epoch,
            badge: dash.querySelector('.petlens-status').textContent,
            timeline: shown ? canvas.toDataURL() : null};
}"""


def write_notebook(path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, path)


def watch_training(page) -> list[dict]:
    """What the dashboard shows, sampled until the training cell has run."""
    samples = []
    last_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").nth(len(CELLS) - 1)
    deadline = page.evaluate("Date.now()") + WAIT_MS
    while not re.search(r"\[\d+\]", last_prompt.text_content() or ""):
        assert page.evaluate("Date.now()") < deadline, "the training cell did not end"
        sample = page.evaluate(SAMPLE)
        if sample is not None:
            if sample["timeline"] is not None:
                sample["timeline"] = hashlib.sha1(sample["timeline"].encode()).hexdigest()
            samples.append(sample)
        page.wait_for_timeout(150)
    return samples


# where each front end opens a notebook (Notebook 7 has no left sidebar open to close)
OPEN = {"lab": "/lab/tree/{}", "notebook": "/notebooks/{}"}


@pytest.fixture(params=sorted(OPEN))
def server(request, tmp_path_factory):
    """JupyterLab 4 or Notebook 7 serving a folder with the training notebook."""
    root = tmp_path_factory.mktemp(f"{request.param}-live-root")
    write_notebook(root / NOTEBOOK)
    for lab in serve(request.param, root, tmp_path_factory.mktemp(f"{request.param}-home")):
        yield request.param, lab


def test_the_dashboard_follows_fine_tune_live(browser, server, tmp_path):
    app, lab = server
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    probe = PageProbe(page)
    page.goto(f"{lab.url}{OPEN[app].format(NOTEBOOK)}?token={lab.token}", timeout=120_000)
    expect(page.locator(".jp-Notebook .jp-CodeCell")).to_have_count(len(CELLS), timeout=60_000)
    if app == "lab":
        page.keyboard.press("Control+b")  # close the left sidebar: room for the dashboard
    run_all_cells(page)
    dashboard = page.locator(".jp-OutputArea-output .petlens-dashboard")
    expect(dashboard).to_have_count(1, timeout=WAIT_MS)  # shown before training

    samples = watch_training(page)
    wait_for_prompts(page, len(CELLS))
    page.screenshot(path=tmp_path / "after.png")
    running = [s for s in samples if s["status"] == "running"]
    drawings = [s["timeline"] for s in running if s["timeline"]]
    changes = sum(a != b for a, b in itertools.pairwise(drawings))
    assert changes >= 3, f"the timeline changed {changes} times in {len(running)} samples"
    counted = [re.search(r"fit (\d+) · epoch (\d+)/\d+ · batch", s["badge"]) for s in running]
    fits_epochs = [tuple(map(int, m.groups())) for m in counted if m]
    assert len(set(fits_epochs)) >= 2 and fits_epochs == sorted(fits_epochs), fits_epochs
    assert all(re.search(r"elapsed · ETA \S", s["badge"]) for s, m in zip(running, counted,
                                                                        strict=True) if m)

    # the end: "finished", and the matrix of the run on disk, every cell
    header = dashboard.locator(".petlens-dash-header")
    expect(header).to_have_attribute("data-status", "finished")
    expect(header.locator(".petlens-status")).to_have_text("finished")
    (run_path,) = (lab.root / "petlens-runs").iterdir()
    run = load_run(run_path)
    assert run.complete and [p["status"] for p in run.phases] == ["finished", "finished"]
    view = ConfusionMatrixView.from_run(run)
    order = view.orders[view.order]
    cells = dashboard.locator("canvas.petlens-cells")
    cells.scroll_into_view_if_needed()
    box = cells.bounding_box()
    side = len(run.vocab)
    tooltip = dashboard.locator(".petlens-confusion .petlens-tooltip")
    for row in range(side):
        for col in range(side):
            page.mouse.move(box["x"] + (col + 0.5) * box["width"] / side,
                            box["y"] + (row + 0.5) * box["height"] / side)
            actual, predicted = order[row], order[col]
            count = view.counts[actual, predicted]
            expect(tooltip).to_contain_text(re.compile(
                rf"Actual\s*{re.escape(run.vocab[actual])}\s*Predicted\s*"
                rf"{re.escape(run.vocab[predicted])}\s*Count\s*{count}(?!\d)"))
    assert [e for e in probe.errors if re.search("petlens|anywidget", e, re.I)] == []
    page.close()
