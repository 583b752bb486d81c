"""Benchmark 5: report file size and time to interactive in headless Chromium.

A pets-scale run (37 classes, 1,478 validation items, thumbnails from the synthetic pets),
the same with embeddings (512 features, 5,912 training items, the thumbnails of the
explained errors' nearest training images as PetLens stores them; its build time includes
the first UMAP) and a 1000-class run (50,000 items). Time to interactive = page start to the
first painted frame of the dashboard (bundle import and data decoding included).

    python benchmarks/report.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import machine, synthetic_pets

from petlens import load_run
from petlens.demo.scale_run import write_run
from petlens.report import build_html


def time_to_interactive(browser, html: str, path: Path, repeats: int = 3) -> float:
    path.write_text(html, encoding="utf-8")
    times = []
    for _ in range(repeats):
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-petlens-painted]", timeout=60_000)
        times.append(page.evaluate(
            "performance.getEntriesByName('petlens-painted')[0].startTime"))
        page.close()
    return statistics.median(times)


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browser import launch
    from playwright.sync_api import sync_playwright

    print(f"machine: {machine()}\n")
    print(f"{'run':<34} {'build s':>8} {'size MB':>8} {'time to interactive ms':>23}")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        browser = launch(playwright)
        pets = synthetic_pets(tmp / "pets", n_classes=37, per_class=8, size=160)
        cases = {
            "pets scale (37 cls, 1,478 items)": write_run(tmp / "runs", n_classes=37,
                                                          n_items=1478, images=pets / "images"),
            "pets scale + embeddings (train too)": write_run(
                tmp / "runs", n_classes=37, n_items=1478, images=pets / "images",
                embeddings=512, n_train=5912),
            "1000 classes, 50,000 items": write_run(tmp / "runs", n_classes=1000,
                                                    n_items=50_000),
        }
        for name, run_dir in cases.items():
            start = time.perf_counter()
            html, dropped = build_html(load_run(run_dir))
            build = time.perf_counter() - start
            tti = time_to_interactive(browser, html, tmp / "report.html")
            note = f"  (left out: {'; '.join(dropped)})" if dropped else ""
            print(f"{name:<34} {build:>8.2f} {len(html.encode()) / 1e6:>8.2f} {tti:>23.0f}"
                  f"{note}")
        browser.close()


if __name__ == "__main__":
    main()
