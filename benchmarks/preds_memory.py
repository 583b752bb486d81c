"""Benchmark 6: peak memory of capturing validation predictions at 50,000 x 1000.

A real fastai ``Learner`` (a linear model over random features, so the model itself costs
nothing) fits one epoch whose validation set has ``--items`` items and ``--classes``
classes, without PetLens, with PetLens keeping every probability (``probs_top_k=None``)
and with its default for very many classes (top-k storage, ``probs_top_k='auto'``). The
extra peak resident memory of each PetLens run, capture and writing to disk included, is
compared with the size of the float16 probability array itself. Each mode runs in fresh
processes (median of ``--repeats``) with glibc's mmap threshold fixed at 128 KB, so freed
blocks leave resident memory at once and the peak measures what was allocated.

    python benchmarks/preds_memory.py --items 50000 --classes 1000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import machine

PAGE = 4096


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * PAGE


class PeakRss:
    """Samples resident memory every millisecond in a background thread."""

    def __enter__(self):
        self.start, self.peak, self._stop = rss_bytes(), rss_bytes(), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes())
            time.sleep(0.001)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def extra(self) -> int:
        return self.peak - self.start


def learner(n_items: int, n_classes: int, path: Path, cbs=()):
    import torch
    from fastai.data.core import DataLoaders
    from fastai.learner import Learner
    from fastai.losses import CrossEntropyLossFlat
    from torch import nn
    from torch.utils.data import TensorDataset

    torch.manual_seed(0)
    features = 16
    train = TensorDataset(torch.randn(512, features), torch.randint(0, n_classes, (512,)))
    valid = TensorDataset(torch.randn(n_items, features), torch.randint(0, n_classes,
                                                                        (n_items,)))
    dls = DataLoaders.from_dsets(train, valid, bs=512, num_workers=0)
    model = nn.Sequential(nn.Linear(features, n_classes))
    learn = Learner(dls, model, loss_func=CrossEntropyLossFlat(), path=path, cbs=list(cbs))
    if hasattr(learn, "progress"):
        learn.remove_cb(learn.progress)
    return learn


# glibc returns every block of 128 KB or more to the system when it is freed (no dynamic
# threshold), so resident memory follows what is allocated instead of the heap's high-water
# mark: the same setting for every mode.
ENV = {**os.environ, "MALLOC_MMAP_THRESHOLD_": "131072"}
MODES = {"fastai alone": "off", "PetLens, every probability": "full",
         "PetLens, top-k ('auto')": "auto"}


def measure(mode: str, n_items: int, n_classes: int) -> dict:
    """Peak extra resident memory of a one-epoch fit, after a warm-up fit without PetLens
    (so everything PetLens allocates, kept predictions included, counts)."""
    from petlens import PetLens

    with tempfile.TemporaryDirectory() as tmp:
        runs = Path(tmp) / "runs"
        learn = learner(n_items, n_classes, Path(tmp))
        learn.logger = lambda *args: None
        learn.fit(1, 1e-3)  # warm-up: allocator and caches
        if mode != "off":
            learn.add_cb(PetLens(path=runs, thumbs=False, saliency=None,
                                 probs_top_k=None if mode == "full" else mode))
        with PeakRss() as peak:
            learn.fit(1, 1e-3)
        files = sorted(runs.rglob("preds/*.npz"))
        return {"extra": peak.extra, "on_disk": files[-1].stat().st_size if files else 0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--classes", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5,
                        help="fresh processes per mode; the median is reported")
    parser.add_argument("--mode", choices=sorted(MODES.values()),
                        help="measure one mode in this process (used by the full run)")
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode, args.items, args.classes)))
        return

    array_bytes = args.items * args.classes * 2
    samples = {name: [] for name in MODES}
    for _ in range(args.repeats):  # modes interleaved, one fresh process each
        for name, mode in MODES.items():
            out = subprocess.run([sys.executable, __file__, "--mode", mode, "--items",
                                  str(args.items), "--classes", str(args.classes)],
                                 capture_output=True, text=True, check=True, env=ENV).stdout
            samples[name].append(json.loads(out.strip().splitlines()[-1]))
    results = {name: {"extra": statistics.median(r["extra"] for r in runs),
                      "on_disk": runs[-1]["on_disk"]} for name, runs in samples.items()}

    print(f"machine: {machine()}")
    print(f"{args.items:,} validation items x {args.classes:,} classes; float16 probabilities "
          f"= {array_bytes / 1e6:.0f} MB; median of {args.repeats} processes per mode\n")
    for name, result in results.items():
        print(f"{name:<28} peak extra resident memory during fit: "
              f"{result['extra'] / 1e6:8.1f} MB")
    print()
    base = results["fastai alone"]["extra"]
    for name, result in list(results.items())[1:]:
        print(f"{name:<28} extra peak / probability array: "
              f"{(result['extra'] - base) / array_bytes:5.2f}x "
              f"(preds file on disk: {result['on_disk'] / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
