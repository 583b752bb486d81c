"""Label issues at 50,000 items x 1000 classes: petlens' own part (loading the predictions,
rebuilding the probability matrix, packing, writing and reading the cache) against
cleanlab's calls, measured in the same process on the same predictions.

    python benchmarks/label_issues.py [--items 50000] [--classes 1000] [--repeats 3]

Both storage forms of a run are measured: top-k (the default above 200 classes: 10 per
item and the given label's) and every probability (``probs_top_k=None``). The target is
petlens' part <= 2 s; cleanlab's time is printed beside it.

``--dashboard`` adds a row per form: ``DashboardView.from_run`` (what ``run.show()``, the
report and ``%petlens`` build first) on a freshly loaded run without label issues (``Run.
label_issues`` refusing, so every panel says why), at the first read (cleanlab computes and
writes ``label_issues.npz``) and at a later read (from that cache).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np

import petlens.label_issues as li
from petlens import PetLensError, Run, load_run
from petlens.issue_cache import label_issues_for


def write_preds_run(root: Path, n_items: int, n_classes: int, top_k: int | None) -> Path:
    """A run folder whose only content that matters here is its latest predictions."""
    from petlens.demo.scale_run import write_run

    path = write_run(root, n_classes=n_classes, n_items=n_items, n_iter=10)
    if top_k is not None:
        preds = next((path / "preds").glob("*.npz"))
        with np.load(preds) as npz:
            arrays = {key: npz[key] for key in npz.files}
        probs = arrays.pop("probs")
        rows = np.arange(n_items)
        classes = np.argpartition(-probs, top_k, axis=1)[:, :top_k]
        arrays.update(topk_probs=np.take_along_axis(probs, classes, 1),
                      topk_classes=classes.astype(np.int16),
                      target_probs=probs[rows, arrays["targets"]])
        np.savez(preds, **arrays)
    return path


def timed_cleanlab():
    """Wrap cleanlab's calls inside petlens so their time can be subtracted."""
    spent = {"cleanlab": 0.0}
    real_cleanlab, real_pairs = li._cleanlab, li._top_pairs

    def cleanlab(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_cleanlab(*args, **kwargs)
        finally:
            spent["cleanlab"] += time.perf_counter() - start

    def pairs(*args, **kwargs):
        start = time.perf_counter()
        try:
            return real_pairs(*args, **kwargs)
        finally:
            spent["cleanlab"] += time.perf_counter() - start

    return spent, mock.patch.multiple(li, _cleanlab=cleanlab, _top_pairs=pairs)


def measure(path: Path, repeats: int) -> dict:
    totals, cleanlab_times, reads = [], [], []
    for _ in range(repeats):
        (path / "label_issues.npz").unlink(missing_ok=True)
        spent, patch = timed_cleanlab()
        with patch:
            start = time.perf_counter()
            issues = label_issues_for(load_run(path))  # load, compute, write the cache
            totals.append(time.perf_counter() - start)
        cleanlab_times.append(spent["cleanlab"])
        start = time.perf_counter()
        again = label_issues_for(load_run(path))  # a later read: from the cache
        reads.append(time.perf_counter() - start)
        assert again.note.startswith("read from") and np.array_equal(again.flags, issues.flags)
    total, cleanlab = statistics.median(totals), statistics.median(cleanlab_times)
    return {"total": total, "cleanlab": cleanlab, "petlens": total - cleanlab,
            "cached_read": statistics.median(reads), "flagged": int(issues.flags.sum()),
            "pairs": len(issues.pairs)}


def measure_dashboard(path: Path, repeats: int) -> dict:
    """Seconds of ``DashboardView.from_run`` on a freshly loaded run: without label issues,
    at the first read (computed, cached) and a later read (from the cache)."""
    from functools import cached_property

    from petlens.views.dashboard import DashboardView

    def refuse(run):
        raise PetLensError("label issues switched off for this measurement")

    def timed() -> float:
        run = load_run(path)
        start = time.perf_counter()
        view = DashboardView.from_run(run)
        elapsed = time.perf_counter() - start
        assert "confusion" in view.views
        return elapsed

    without, first, cached = [], [], []
    for _ in range(repeats):
        (path / "label_issues.npz").unlink(missing_ok=True)
        off = cached_property(refuse)
        off.__set_name__(Run, "label_issues")
        with mock.patch.object(Run, "label_issues", off):
            without.append(timed())
        first.append(timed())  # computes with cleanlab and writes label_issues.npz
        assert (path / "label_issues.npz").is_file()
        cached.append(timed())
    return {"without": statistics.median(without), "first": statistics.median(first),
            "cached": statistics.median(cached)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dashboard", action="store_true",
                        help="also time DashboardView.from_run without / with label issues")
    args = parser.parse_args()
    import cleanlab.filter  # noqa: F401 -- imported once, outside the timings

    print(f"{args.items:,} items x {args.classes} classes, median of {args.repeats}")
    root = Path(tempfile.mkdtemp(prefix="petlens-bench-"))
    try:
        for label, top_k in (("top-k (10)", 10), ("every probability", None)):
            path = write_preds_run(root / label.split()[0], args.items, args.classes, top_k)
            r = measure(path, args.repeats)
            print(f"{label:>18}: petlens {r['petlens']:.2f} s (target <= 2 s), cleanlab "
                  f"{r['cleanlab']:.2f} s, total {r['total']:.2f} s "
                  f"(petlens / cleanlab {r['petlens'] / r['cleanlab']:.2f}); a cached read "
                  f"{r['cached_read']:.2f} s; {r['flagged']} flagged, {r['pairs']} pairs")
            if args.dashboard:
                d = measure_dashboard(path, args.repeats)
                print(f"{'':>18}  DashboardView.from_run: without label issues "
                      f"{d['without']:.2f} s, first read {d['first']:.2f} s (+"
                      f"{d['first'] - d['without']:.2f} s: cleanlab, once), cached "
                      f"{d['cached']:.2f} s (+{d['cached'] - d['without']:.2f} s)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
