"""Benchmark: the embeddings scatter's first paint at 5,000 and 50,000 points.

petlens: page start to the ``petlens-painted`` mark (the first frames drawn after render, as
benchmarks/confusion_render.py measures it: HTML parse, bundle import, decoding, colouring and
the canvas included), median of ``--repeats`` fresh page loads in one headless Chromium; with
it the page's main-thread CPU time up to that mark (CDP ``ThreadTime``: less sensitive than
wall time to other jobs on a shared machine), the page size, the part before the bundle runs
(navigation and HTML parse), the render call, render call to the mark (what a Jupyter widget,
whose arrays arrive as binary buffers, costs) and the points' own paint (``data-paint-ms``),
and the script time of the animation frames while zooming with the wheel. The state is
``EmbeddingsView(...).state()`` of clustered synthetic points (tests/test_browser_embeddings.py
``scatter_view``: 1000 classes at 50,000 points, 37 at 5,000; 8 neighbours per item as
``projection.K``, and at 50,000 once more without neighbours: the scatter's own cost), so no
UMAP runs here. The page is ``standalone_page`` as the report writes it: the neighbour
traits (``NEIGHBOUR_TRAITS``) follow the script and are set after the first paint.

    python benchmarks/embeddings_render.py --repeats 7
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import machine

from petlens.standalone import standalone_page
from petlens.views.embeddings_view import NEIGHBOUR_TRAITS

ROOT = Path(__file__).resolve().parent.parent

FRAME_TIMER = """
window.__frameScript = [];
const raf = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (cb) => raf((t) => {
  const start = performance.now(); cb(t); window.__frameScript.push(performance.now() - start);
});
"""

# The render call's start and end, around the page's own `render` (same page otherwise).
RENDER_TIMER = ("mod.default.render({ model, el: document.getElementById('petlens-root') });",
                "window.__renderStart = performance.now(); "
                "mod.default.render({ model, el: document.getElementById('petlens-root') }); "
                "window.__renderEnd = performance.now();")


def thread_time(cdp) -> float:
    """CPU seconds of the page's main thread so far (less sensitive than wall time to other
    jobs on the machine)."""
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "ThreadTime")


def load(browser, page_file: Path, width: int, height: int, zoom_steps: int = 0) -> dict:
    page = browser.new_page(viewport={"width": width, "height": height})
    page.add_init_script(FRAME_TIMER)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    before = thread_time(cdp)
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-petlens-painted]", timeout=120_000)
    cpu = (thread_time(cdp) - before) * 1000
    out = page.evaluate("""() => ({
        painted: performance.getEntriesByName('petlens-painted')[0].startTime,
        parsed: performance.getEntriesByType('navigation')[0].domInteractive,
        render: window.__renderEnd - window.__renderStart,
        toPaint: performance.getEntriesByName('petlens-painted')[0].startTime
            - window.__renderStart,
        paint: Number(document.querySelector('.petlens-embeddings').dataset.paintMs),
        drawn: Number(document.querySelector('.petlens-embeddings').dataset.drawn)})""")
    out["cpu"] = cpu
    if zoom_steps:
        box = page.locator("canvas.petlens-emb-overlay").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.45)
        page.evaluate("window.__frameScript = []")
        for step in range(zoom_steps):
            page.mouse.wheel(0, -120 if step < zoom_steps // 2 else 120)
            page.wait_for_timeout(30)
        page.wait_for_timeout(200)
        out["frames"] = [f for f in page.evaluate("window.__frameScript") if f > 0.05]
    page.close()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="page loads per size")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from browser import launch
    from playwright.sync_api import sync_playwright
    from test_browser_embeddings import scatter_view

    print(f"machine: {machine()}; viewport {args.width}x{args.height}\n")
    print(f"{'points':>7} {'classes':>7} {'k':>2} {'page MB':>8} {'first paint ms':>22} "
          f"{'main thread CPU ms':>19} "
          f"{'parse ms':>9} {'render ms':>10} {'render to paint ms':>19} {'points paint ms':>16} "
          f"{'zoom frame ms (median / p95)':>29}")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = launch(playwright)
        for n_items, n_classes, k in ((5_000, 37, 8), (50_000, 1000, 8), (50_000, 1000, 0)):
            view = scatter_view(n_classes, n_items, k=max(k, 1))
            if k == 0:  # the scatter alone: no neighbours in the page
                view.neighbour_index = np.zeros((0, 0), np.int32)
                view.neighbour_distance = np.zeros((0, 0), np.float32)
                view.neighbour_items, view.neighbour_labels = [], np.zeros(0, np.int32)
            page_file = Path(tmp) / f"emb{n_items}-{k}.html"
            page_file.write_text(standalone_page("embeddings.js", view.state(), title="emb",
                                                 later=NEIGHBOUR_TRAITS), encoding="utf-8")
            page_file.write_text(page_file.read_text(encoding="utf-8").replace(*RENDER_TIMER),
                                 encoding="utf-8")
            loads = [load(browser, page_file, args.width, args.height,
                          zoom_steps=20 if r == 0 else 0) for r in range(args.repeats)]
            assert all(x["drawn"] == n_items for x in loads), "not every point was drawn"
            med = {key: statistics.median(x[key] for x in loads)
                   for key in ("painted", "parsed", "render", "toPaint", "paint", "cpu")}
            firsts = [x["painted"] for x in loads]
            frames = sorted(loads[0].get("frames") or [float("nan")])
            p95 = frames[min(len(frames) - 1, int(0.95 * len(frames)))]
            first = f"{med['painted']:.0f} ({min(firsts):.0f}-{max(firsts):.0f})"
            size = page_file.stat().st_size / 1e6
            print(f"{n_items:>7} {n_classes:>7} {k:>2} {size:>8.2f} {first:>22} "
                  f"{med['cpu']:>19.0f} "
                  f"{med['parsed']:>9.0f} {med['render']:>10.0f} {med['toPaint']:>19.0f} "
                  f"{med['paint']:>16.1f} "
                  f"{statistics.median(frames):>14.1f} / {p95:<12.1f}")
        browser.close()


if __name__ == "__main__":
    main()
