"""Benchmark: comparing two runs of 50,000 items x 1000 classes (issue 16).

Two runs written by ``petlens.demo.scale_run.write_run`` with top-k storage (PetLens' default
above 200 classes): A at 85 % accuracy, B another model of the same items (``prediction_seed``,
90 %). Two cases: B's items in A's order, and B's items shuffled with 2 % of them replaced
(matching by sort). Measured:

- ``petlens.compare(A, B)`` from the two folders (loading both runs included) and from loaded
  runs: median wall time of ``--repeats`` calls (target <= 1 s);
- its peak memory (tracemalloc: numpy's buffers are traced) against the two runs' prediction
  arrays as loaded (targets, decoded, losses, items, top-k probabilities; target <= 2x);
- the view's state (class orders, clustered from B's confusions) and the offline page;
- in headless Chromium, the page of ``petlens compare A B -o``: when the difference matrix is
  first drawn into its canvas (script time from navigation start) and the page's
  ``petlens-painted`` mark (every part drawn, two animation frames after render), median of
  ``--loads`` fresh pages (the matrix view's budget: 200 ms).

    python benchmarks/compare.py [--items 50000] [--classes 1000] [--repeats 5] [--loads 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

from petlens import load_run
from petlens.compare import compare
from petlens.compare_report import build_compare_html
from petlens.demo.scale_run import write_run
from petlens.views.compare_view import CompareView

TARGET_S = 1.0
TARGET_MEMORY = 2.0
TARGET_RENDER_MS = 200.0

# The first draw into the difference matrix's cell canvas, from navigation start.
MATRIX_TIMER = """
window.__matrixDrawn = null;
for (const name of ['drawImage', 'putImageData', 'fillRect']) {
  const real = CanvasRenderingContext2D.prototype[name];
  CanvasRenderingContext2D.prototype[name] = function (...args) {
    if (window.__matrixDrawn === null && this.canvas.classList.contains('petlens-cells')) {
      window.__matrixDrawn = performance.now();
    }
    return real.apply(this, args);
  };
}
"""


def shuffle_items(path: Path, replaced: float, seed: int = 0) -> None:
    """B's predictions in another order, ``replaced`` of its items renamed (not in A)."""
    preds = next((path / "preds").glob("*.npz"))
    with np.load(preds) as npz:
        arrays = {key: npz[key] for key in npz.files}
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(arrays["items"]))
    arrays = {key: value[order] for key, value in arrays.items()}
    items = arrays["items"].astype("<U20")
    new = rng.choice(len(items), int(replaced * len(items)), replace=False)
    items[new] = [f"new_{i:06d}.jpg" for i in range(len(new))]
    arrays["items"] = items
    np.savez(preds, **arrays)


def preds_bytes(run) -> int:
    preds = run.preds
    return sum(value.nbytes for value in vars(preds).values() if isinstance(value, np.ndarray))


def timed(fn, repeats: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), max(times)


def peak_memory(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def render_times(browser, page_file: Path, loads: int):
    """Per load: HTML parsed (``domInteractive``), matrix first drawn, page painted (ms)."""
    parsed, drawn, painted = [], [], []
    for _ in range(loads):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.add_init_script(MATRIX_TIMER)
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-petlens-painted]", timeout=60_000)
        drawn.append(page.evaluate("window.__matrixDrawn"))
        parsed.append(page.evaluate(
            "performance.getEntriesByType('navigation')[0].domInteractive"))
        painted.append(page.evaluate(
            "performance.getEntriesByName('petlens-painted')[0].startTime"))
        page.close()
    return parsed, drawn, painted


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--loads", type=int, default=5, help="page loads in Chromium")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import launch
    from playwright.sync_api import sync_playwright

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"{args.items:,} items x {args.classes} classes, top-k storage (k = 10)\n")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        tmp = Path(tmp)
        browser = launch(playwright)
        a = write_run(tmp / "a", n_classes=args.classes, n_items=args.items, top_k=10,
                      n_iter=600)
        for case, replaced in (("same items, same order", None),
                               ("shuffled, 2 % replaced", 0.02)):
            b = write_run(tmp / case[:4], n_classes=args.classes, n_items=args.items,
                          top_k=10, n_iter=600, prediction_seed=1, accuracy=0.9)
            if replaced:
                shuffle_items(b, replaced)
            compare(a, b)  # imports and caches warmed
            arrays = preds_bytes(load_run(a)) + preds_bytes(load_run(b))
            from_folders = timed(lambda a=a, b=b: compare(a, b), args.repeats)
            ra, rb = load_run(a), load_run(b)
            loaded = timed(lambda ra=ra, rb=rb: compare(ra, rb), args.repeats)
            peak = peak_memory(lambda a=a, b=b: compare(a, b))
            peak_loaded = peak_memory(lambda ra=ra, rb=rb: compare(ra, rb))
            cmp = compare(ra, rb)
            start = time.perf_counter()
            view = CompareView.from_comparison(cmp)
            view.state()
            view_s = time.perf_counter() - start
            start = time.perf_counter()
            page, _ = build_compare_html(view)
            page_s = time.perf_counter() - start
            page_file = tmp / f"{case[:4]}.html"
            page_file.write_text(page, encoding="utf-8")
            parsed, drawn, painted = render_times(browser, page_file, args.loads)
            c = cmp.counts
            print(f"== {case}: {c['common']:,} common ({c['fixed']:,} fixed, {c['broken']:,} "
                  f"broken), {c['only_a']:,} only A, {c['only_b']:,} only B")
            median, low, high = from_folders
            print(f"compare(A, B) from folders: {median:.3f} s ({low:.3f}-{high:.3f}), "
                  f"ratio to the {TARGET_S:g} s target {median / TARGET_S:.2f}")
            median, low, high = loaded
            print(f"compare of loaded runs:     {median:.3f} s ({low:.3f}-{high:.3f})")
            print(f"peak memory from folders:   {peak / 1e6:.1f} MB = {peak / arrays:.2f}x the "
                  f"two runs' prediction arrays ({arrays / 1e6:.1f} MB; target <= "
                  f"{TARGET_MEMORY:g}x); of loaded runs {peak_loaded / 1e6:.1f} MB = "
                  f"{peak_loaded / arrays:.2f}x")
            print(f"view + state: {view_s:.3f} s; page {len(page.encode()) / 1e6:.2f} MB in "
                  f"{page_s:.2f} s")
            print(f"Chromium, difference matrix first drawn: {statistics.median(drawn):.0f} ms "
                  f"({min(drawn):.0f}-{max(drawn):.0f}), ratio to the {TARGET_RENDER_MS:g} ms "
                  f"budget {statistics.median(drawn) / TARGET_RENDER_MS:.2f}; whole page "
                  f"painted: {statistics.median(painted):.0f} ms ({min(painted):.0f}-"
                  f"{max(painted):.0f}); of which the HTML parsed at "
                  f"{statistics.median(parsed):.0f} ms\n")
        browser.close()


if __name__ == "__main__":
    main()
