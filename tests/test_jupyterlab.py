"""End to end in a real JupyterLab: a small notebook trains a learner with PetLens and shows
the dashboard; headless Chromium runs it like a user (Run > Run All Cells) and checks what is
drawn, that the views are linked, and that a clicked point's nearest training images come
from the kernel through the widget's comm when they are not stored. With
``PETLENS_UPDATE_SCREENSHOTS=1`` the panels' screenshots also go to docs/images/ (the
README's)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import nbformat
import numpy as np
import pytest
from browser import PageProbe, screen_points
from PIL import Image
from playwright.sync_api import expect

from petlens import load_run
from petlens.views import ConfusionMatrixView, EmbeddingsView

pytestmark = pytest.mark.slow

DOCS_IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"
NOTEBOOK = "petlens-e2e.ipynb"
CELLS = [
    "from fastai.vision.all import *\n"
    "from petlens import PetLens\n"
    "from petlens.demo import make_pets, pets_dataloaders",
    'path = make_pets("pets", n_classes=6, per_class=24, size=64)\n'
    "set_seed(0, reproducible=True)\n"
    "dls = pets_dataloaders(path, item_size=56, size=48, bs=8)\n"
    "learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate,\n"
    '                       cbs=PetLens(embeddings="valid+train"))',
    "suggested = learn.lr_find()\nlearn.fine_tune(3, base_lr=suggested.valley)",
    "learn.pet_lens.show()",
]
# dashboard panel -> README screenshot
SCREENSHOTS = {"confusion": "confusion-matrix.png", "top_losses": "top-losses.png",
               "lr_find": "lr-finder.png", "timeline": "timeline.png"}
SERVER_START_S = 120
TRAIN_MS = 6 * 60_000
RUN_ALL_TRIES = 6
TRACEBACK = "Traceback (most recent call last)"
NO_NETWORK_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                       {"fetchNews": "false", "checkForUpdates": False}}


@dataclass
class Lab:
    port: int
    token: str
    root: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, path: str, method: str = "GET") -> None:
        """Call the server's REST API; raises ``OSError`` when it does not answer."""
        request = urllib.request.Request(f"{self.url}{path}?token={self.token}", method=method)
        no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with no_proxy.open(request, timeout=5) as response:
            response.read()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, path)


def lab_environment(home: Path) -> dict:
    """Environment of the server and its kernels: settings and state in ``home``, no news
    fetched, one math thread per process (the CPU is shared; two threads on two busy cores
    spin and train several times slower)."""
    for name, settings in NO_NETWORK_SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(settings))
    return {**os.environ, "OMP_NUM_THREADS": "1",
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}


def wait_until_up(lab: Lab, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read_text()}")
        try:
            lab.api("/api/status")
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {SERVER_START_S} s:\n{log.read_text()}")


def stop(lab: Lab, server: subprocess.Popen) -> None:
    """Shut the server down through its API (it shuts its kernels down), then make sure."""
    if server.poll() is None:
        with contextlib.suppress(OSError):
            lab.api("/api/shutdown", method="POST")
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)  # kernels exit when their parent is gone
            server.wait()


def serve(app: str, root: Path, home: Path):
    """``jupyter <app>`` (``lab``: JupyterLab 4, ``notebook``: Notebook 7) on a free local
    port serving ``root``; yields its :class:`Lab` and shuts it down."""
    lab = Lab(free_port(), secrets.token_hex(16), root)
    log = home / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", app, "--no-browser", "--allow-root",
             "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.port={lab.port}", "--ServerApp.port_retries=0",
             f"--IdentityProvider.token={lab.token}", f"--ServerApp.root_dir={root}"],
            cwd=root, env=lab_environment(home), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        wait_until_up(lab, server, log)
        yield lab
    finally:
        stop(lab, server)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a free local port, serving a folder with the small notebook."""
    root = tmp_path_factory.mktemp("lab-root")
    write_notebook(root / NOTEBOOK)
    yield from serve("lab", root, tmp_path_factory.mktemp("lab-home"))


def run_all_cells(page) -> None:
    """Run > Run All Cells, as a user does. JupyterLab drops the request while the kernel is
    still connecting (no prompt turns to ``[*]``): then try again."""
    first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    for _ in range(RUN_ALL_TRIES):
        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
                     has_text=re.compile(r"^Run All Cells$")).click()
        try:
            expect(first_prompt).to_have_text(re.compile(r"\[(\*|\d+)\]"), timeout=15_000)
            return
        except AssertionError:
            continue
    pytest.fail(f"Run > Run All Cells started nothing in {RUN_ALL_TRIES} tries")


def wait_for_prompts(page, n_cells: int) -> None:
    """Until every code cell shows an execution count; fails at once, with the traceback,
    when a cell raises (JupyterLab then leaves the cells after it unrun)."""
    page.wait_for_function("""([n, traceback]) => {
        const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
        if (outputs.some((o) => o.textContent.includes(traceback))) return true;
        const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
        return prompts.length === n && prompts.every((p) => /\\[\\d+\\]/.test(p.textContent));
    }""", arg=[n_cells, TRACEBACK], timeout=TRAIN_MS)
    raised = page.locator(".jp-OutputArea-output", has_text=TRACEBACK)
    if raised.count():
        pytest.fail(f"a notebook cell raised:\n{raised.first.inner_text()}")


def painted(probe: PageProbe, selector: str, timeout_s: float = 30) -> int:
    """Pixels painted on the canvas ``selector``, waiting for the first (frames are async)."""
    deadline = time.monotonic() + timeout_s
    while (n := probe.painted_pixels(selector)) == 0 and time.monotonic() < deadline:
        probe.page.wait_for_timeout(200)
    return n


def clicked_cell(run) -> tuple[int, int, int]:
    """The confusion cell to click, in display order (row, col), and its count: the most
    confused pair, or the largest diagonal cell when nothing is confused."""
    view = ConfusionMatrixView.from_run(run)
    order = view.orders[view.order]
    counts = view.counts[np.ix_(order, order)]
    confused = counts - np.diag(np.diag(counts))
    row, col = np.unravel_index(np.argmax(confused if confused.any() else counts), counts.shape)
    return int(row), int(col), int(counts[row, col])


def save_screenshot(panel, name: str, folder: Path) -> None:
    """The panel's screenshot in ``folder`` (and in docs/images/ with
    PETLENS_UPDATE_SCREENSHOTS=1), as a 256-colour PNG: a third of the size, same look."""
    image = Image.open(io.BytesIO(panel.screenshot(animations="disabled"))).convert("RGB")
    folders = [folder] + ([DOCS_IMAGES] if os.environ.get("PETLENS_UPDATE_SCREENSHOTS") == "1"
                          else [])
    for target in folders:
        target.mkdir(parents=True, exist_ok=True)
        image.quantize(256).save(target / name, optimize=True)


@pytest.fixture
def page(browser, lab, tmp_path):
    """A JupyterLab tab on the small notebook; a screenshot of it stays in ``tmp_path``."""
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    page.goto(f"{lab.url}/lab/tree/{NOTEBOOK}?token={lab.token}", timeout=120_000)
    yield page
    page.screenshot(path=tmp_path / "jupyterlab.png")
    page.close()


def test_dashboard_in_jupyterlab(page, lab, tmp_path):
    probe = PageProbe(page)
    expect(page.locator(".jp-Notebook .jp-CodeCell")).to_have_count(len(CELLS), timeout=60_000)
    page.keyboard.press("Control+b")  # close the left sidebar: room for the dashboard
    expect(page.locator("#jp-left-stack")).to_be_hidden()
    run_all_cells(page)
    wait_for_prompts(page, len(CELLS))

    # the widget itself renders, and hides its static picture (the next output, for
    # readers without a kernel)
    dashboard = page.locator(".jp-OutputArea-output .petlens-dashboard")
    expect(dashboard).to_have_count(1, timeout=60_000)
    picture = page.locator("img[data-petlens-picture]")
    expect(picture).to_have_count(1)
    expect(picture).to_be_hidden()
    assert painted(probe, ".petlens-dashboard canvas.petlens-cells") > 1000
    assert painted(probe, ".petlens-dashboard .petlens-lrfind canvas") > 1000

    (run_path,) = (lab.root / "petlens-runs").iterdir()
    run = load_run(run_path)
    assert run.complete and len(run.phases) == 2 and len(run.lr_finds) == 1
    expect(dashboard.locator(".petlens-dash-header")).to_contain_text(run.id)
    total = len(run.preds)
    count_text = dashboard.locator(".petlens-losses .petlens-count")
    expect(count_text).to_have_text(re.compile(rf"^{total} items\b"))

    panels = {key: dashboard.locator(f".petlens-panel-{key}") for key in SCREENSHOTS}
    panels["lr_find"].locator(".petlens-suggestions button").first.click()  # pick a rate
    expect(panels["lr_find"].locator(".petlens-pick-code")).to_have_value(re.compile(r"\S"))
    for key in ("lr_find", "timeline"):
        save_screenshot(panels[key], SCREENSHOTS[key], tmp_path)

    # clicking a confusion cell filters the top-loss browser to that cell's items
    row, col, count = clicked_cell(run)
    cells = dashboard.locator("canvas.petlens-cells")
    cells.scroll_into_view_if_needed()
    box = cells.bounding_box()
    side = len(run.vocab)
    page.mouse.click(box["x"] + (col + 0.5) * box["width"] / side,
                     box["y"] + (row + 0.5) * box["height"] / side)
    expect(count_text).to_have_text(re.compile(rf"^{count} of {total} items\b"))
    page.mouse.move(0, 0)  # no tooltip in the screenshots
    for key in ("confusion", "top_losses"):
        save_screenshot(panels[key], SCREENSHOTS[key], tmp_path)

    # the timeline plays: its drawing changes while the cursor moves
    stage = panels["timeline"].locator(".petlens-tl-stage")
    stage.scroll_into_view_if_needed()
    speed = panels["timeline"].locator("select[title='Playback speed']")
    speed.select_option(index=0)  # the slowest: a short run must not finish between frames
    cursor = panels["timeline"].locator("canvas[aria-valuenow]")
    before, positions = stage.screenshot(), [cursor.get_attribute("aria-valuenow")]
    panels["timeline"].locator(".petlens-tl-play").click()
    frames = []
    for _ in range(2):  # Play moves the cursor: wait for two new positions (drawn states)
        deadline = time.monotonic() + 20
        while (now := cursor.get_attribute("aria-valuenow")) == positions[-1]:
            assert time.monotonic() < deadline, f"the cursor stopped at {positions}"
            page.wait_for_timeout(100)
        positions.append(now)
        frames.append(stage.screenshot())  # while it plays (once it ends, all is shown again)
    assert int(positions[2]) > int(positions[1]), f"the cursor went back: {positions}"
    assert any(frame != before for frame in frames), "Play reveals the curves up to the cursor"

    # the cell clicked again: no filter
    cells.scroll_into_view_if_needed()
    box = cells.bounding_box()
    page.mouse.click(box["x"] + (col + 0.5) * box["width"] / side,
                     box["y"] + (row + 0.5) * box["height"] / side)
    expect(count_text).to_have_text(re.compile(rf"^{total} items\b"))

    # a click on a point: its nearest training images, those not stored read by the kernel
    embeddings = dashboard.locator(".petlens-panel-embeddings")
    item = explained_by_the_kernel(embeddings, EmbeddingsView.from_run(run), page)
    strip = embeddings.locator(".petlens-emb-neighbours")
    expect(strip.locator(".petlens-emb-query .petlens-emb-file")).to_have_text(item)
    probe.wait_until("""(item) => {
        const cards = [...document.querySelectorAll('.petlens-emb-neighbours .petlens-emb-thumb')];
        return cards.length === 9 && cards.every((c) => c.tagName === 'IMG' && c.complete
                                                        && c.naturalWidth > 0);
    }""", item, timeout_s=30)
    page.mouse.move(0, 0)
    save_screenshot(embeddings, "embeddings.png", tmp_path)

    assert [e for e in probe.errors if re.search("petlens|anywidget", e, re.I)] == []
    assert all((tmp_path / name).stat().st_size < 200_000 for name in SCREENSHOTS.values())


def explained_by_the_kernel(panel, view, page) -> str:
    """Click the point of an item with a neighbour whose thumbnail is not stored (the one
    farthest from any other point on the screen); returns the item's name."""
    overlay = panel.locator("canvas.petlens-emb-overlay")
    overlay.scroll_into_view_if_needed()
    box = overlay.bounding_box()
    at = screen_points(view.xy, box["width"])
    gaps = np.linalg.norm(at[:, None] - at[None], axis=-1) + np.eye(len(at)) * 1e9
    fetched = [i for i in range(len(at))
               if any(j >= 0 and j not in view.neighbour_thumbs for j in view.neighbour_index[i])]
    assert fetched, "every neighbour has a stored thumbnail: nothing for the kernel to read"
    i = max(fetched, key=lambda i: gaps[i].min())
    page.mouse.click(box["x"] + at[i, 0], box["y"] + at[i, 1])
    return view.items[i]
