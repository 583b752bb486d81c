"""Benchmark 6: peak memory of capturing validation predictions at 50,000 x 1000.

A real fastai ``Learner`` (a linear model over random features, so the model itself costs
nothing) fits one epoch whose validation set has ``--items`` items and ``--classes``
classes, with and without PetLens. The extra peak resident memory of the PetLens run,
capture and writing to disk included, is compared with the size of the float16
probability array itself.

    python benchmarks/preds_memory.py --items 50000 --classes 1000
"""

from __future__ import annotations

import argparse
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--classes", type=int, default=1000)
    args = parser.parse_args()

    from petlens import PetLens

    array_bytes = args.items * args.classes * 2
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, cbs in (("fastai alone", []),
                          ("PetLens", [PetLens(path=Path(tmp) / "runs", thumbs=False)])):
            learn = learner(args.items, args.classes, Path(tmp), cbs)
            learn.fit(1, 1e-3)  # warm-up: allocator and caches
            with PeakRss() as peak:
                learn.fit(1, 1e-3)
            results[name] = peak.extra
            del learn
        files = sorted((Path(tmp) / "runs").rglob("preds/*.npz"))
        on_disk = files[-1].stat().st_size if files else 0

    extra = results["PetLens"] - results["fastai alone"]
    print(f"machine: {machine()}")
    print(f"{args.items:,} validation items x {args.classes:,} classes; float16 probabilities "
          f"= {array_bytes / 1e6:.0f} MB\n")
    for name, value in results.items():
        print(f"{name:<14} peak extra resident memory during fit: {value / 1e6:8.1f} MB")
    print(f"\nPetLens extra peak / probability array: {extra / array_bytes:.2f}x "
          f"(preds file on disk: {on_disk / 1e6:.0f} MB)")



if __name__ == "__main__":
    main()
