"""Benchmark 3: the confusion matrix at 37 and 1000 classes (50,000 items).

petlens: first render (page start to first painted frame, bundle import and data decoding
included) and the script time of each animation frame while zooming with the wheel, in
headless Chromium. Baselines, same matrices: fastai's ``plot_confusion_matrix`` and
scikit-learn's ``ConfusionMatrixDisplay.plot``, rendered to PNG (run in a subprocess with a
time limit: at 1000 classes they write a million cell labels). Pictures of all three are
saved in ``--out`` so their readability can be compared.

    python benchmarks/confusion_render.py --out benchmarks/pictures

The page is loaded ``--repeats`` times (a fresh page each time, same browser): the first render
printed is the median, with the range; zoom frame times are pooled over the loads.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from _common import machine

from petlens.demo.scale_run import confused_predictions
from petlens.standalone import standalone_page
from petlens.views import ConfusionMatrixView, confusion_matrix
from petlens.views.orders import all_orders

FRAME_TIMER = """
window.__frameScript = [];
const raf = window.requestAnimationFrame.bind(window);
window.requestAnimationFrame = (cb) => raf((t) => {
  const start = performance.now(); cb(t); window.__frameScript.push(performance.now() - start);
});
"""

BASELINE = """
import sys, time, numpy as np, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
which, npy, png = sys.argv[1:4]
cm = np.load(npy)
vocab = [f"class_{i:04d}" for i in range(len(cm))]
from fastai.interpret import ClassificationInterpretation
from sklearn.metrics import ConfusionMatrixDisplay
class Interp(ClassificationInterpretation):
    def __init__(self): self.vocab = vocab
    def confusion_matrix(self): return cm
start = time.perf_counter()
if which == "fastai":
    Interp().plot_confusion_matrix(figsize=(12, 12), dpi=60)
else:
    fig, ax = plt.subplots(figsize=(12, 12), dpi=60)
    ConfusionMatrixDisplay(cm, display_labels=vocab).plot(ax=ax, xticks_rotation=90)
plt.savefig(png)
print(time.perf_counter() - start)
"""


def matrix(n_classes: int, n_items: int):
    targets, decoded, _ = confused_predictions(n_classes, n_items)
    return confusion_matrix(targets, decoded, n_classes)


def petlens_times(browser, cm, tmp: Path, png: Path, zoom_steps: int = 40):
    vocab = [f"class_{i:04d}" for i in range(len(cm))]
    view = ConfusionMatrixView(cm, vocab, all_orders(vocab, cm))
    page_file = tmp / f"cm{len(cm)}.html"
    page_file.write_text(standalone_page("confusion.js", view.state(), title="cm"))
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    page.add_init_script(FRAME_TIMER)
    page.goto(page_file.as_uri())
    page.wait_for_selector("body[data-petlens-painted]")
    first = page.evaluate("performance.getEntriesByName('petlens-painted')[0].startTime")
    page.screenshot(path=str(png))
    box = page.locator("canvas.petlens-cells").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3)
    page.evaluate("window.__frameScript = []")
    for step in range(zoom_steps):
        page.mouse.wheel(0, -120 if step < zoom_steps // 2 else 120)
        page.wait_for_timeout(20)
    page.wait_for_timeout(200)
    frames = page.evaluate("window.__frameScript")
    page.close()
    return first, frames


def baseline_time(which: str, cm, tmp: Path, png: Path, limit: float) -> str:
    npy = tmp / f"cm{len(cm)}.npy"
    np.save(npy, cm)
    try:
        out = subprocess.run([sys.executable, "-c", BASELINE, which, str(npy), str(png)],
                             capture_output=True, text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return f"> {limit:.0f}"
    return f"{float(out.stdout.strip().splitlines()[-1]) * 1000:.0f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/pictures"))
    parser.add_argument("--limit", type=float, default=180, help="seconds per baseline run")
    parser.add_argument("--repeats", type=int, default=5, help="page loads per matrix size")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import launch
    from playwright.sync_api import sync_playwright

    print(f"machine: {machine()}\n")
    print(f"{'classes':>7} {'items':>7} {'petlens first render ms':>24} "
          f"{'zoom frame ms (median / p95)':>29} {'fastai ms':>10} {'sklearn ms':>11}")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        browser = launch(playwright)
        for n_classes, n_items in ((37, 1478), (1000, 50_000)):
            cm = matrix(n_classes, n_items)
            firsts, frames = [], []
            for _ in range(max(1, args.repeats)):
                first, more = petlens_times(browser, cm, Path(tmp),
                                            args.out / f"petlens-{n_classes}.png")
                firsts.append(first)
                frames += more
            first = statistics.median(firsts)
            frames = sorted(frames) or [float("nan")]
            p95 = frames[min(len(frames) - 1, int(0.95 * len(frames)))]
            fastai = baseline_time("fastai", cm, Path(tmp),
                                   args.out / f"fastai-{n_classes}.png", args.limit)
            sklearn = baseline_time("sklearn", cm, Path(tmp),
                                    args.out / f"sklearn-{n_classes}.png", args.limit)
            spread = f"({min(firsts):.0f}-{max(firsts):.0f}) " if len(firsts) > 1 else ""
            print(f"{n_classes:>7} {n_items:>7} {spread + format(first, '.0f'):>24} "
                  f"{statistics.median(frames):>14.2f} / {p95:<12.2f} {fastai:>10} "
                  f"{sklearn:>11}")
        browser.close()
    print(f"\npictures in {args.out}/ (petlens-*.png: the first frame; zoom and hover for more)")


if __name__ == "__main__":
    main()
