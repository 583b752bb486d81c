"""Benchmark 9: embeddings (issue 18): projection time, capture overhead and memory.

``projection``: UMAP (after PCA to 50) of ``--items`` x ``--features`` float16 features
clustered in 37 classes, as ``petlens.projection.project`` computes it at the first read of
a run (one thread, seeded), split into PCA, the k-nearest-neighbour graph and the layout;
the first call in a process pays numba's compilation, so it runs twice. Then the nearest
neighbours the view shows: among ``--train`` training items and, for a run with validation
features only, among the validation items themselves (brute-force cosine).

``overhead``: ``fine_tune`` wall time without PetLens, with PetLens (thumbnails and
saliency off), with ``embeddings=True`` and with ``embeddings='valid+train'`` (the same
machinery as ``recording_overhead.py``: same seed, data and model, interleaved repeats),
and the host-device synchronising calls PetLens makes per batch.

``memory``: peak extra resident memory of capturing ``--items`` x 512 features in one
validation pass (a fresh process per mode, as ``preds_memory.py``), against the float16
array's own size.

    python benchmarks/embeddings.py projection --items 50000
    python benchmarks/embeddings.py overhead --repeats 3
    python benchmarks/embeddings.py memory --items 50000
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from _common import machine, synthetic_pets


def clustered(n: int, width: int, n_classes: int = 37, seed: int = 0) -> np.ndarray:
    from petlens.demo.scale_run import synthetic_features

    labels = np.random.default_rng(seed).integers(0, n_classes, n)
    return synthetic_features(labels, width, seed=seed, n_classes=n_classes)


def projection(args) -> None:
    from petlens.neighbours import nearest
    from petlens.projection import project

    features = clustered(args.items, args.features)
    print(f"machine: {machine()}")
    print(f"{args.items:,} x {args.features} float16 features, 37 classes; PCA to 50, UMAP "
          "n_neighbors=15, min_dist=0.1, random_state=0, one thread\n")
    for label in ("first call (numba compiles)", "second call"):
        start = time.perf_counter()
        xy, info = project(features)
        total = time.perf_counter() - start
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in info["timings"].items())
        print(f"{label:<28} {total:6.1f} s  ({steps})")
    again, _ = project(features)
    print(f"deterministic (same seed, same map): {np.array_equal(xy, again)}")
    train = clustered(args.train, args.features, seed=1)
    for name, base, exclude in ((f"neighbours among {args.train:,} training items", train,
                                 False),
                                (f"neighbours among the {args.items:,} validation items",
                                 features, True)):
        start = time.perf_counter()
        nearest(features, base, 8, exclude_self=exclude)
        print(f"{name:<52} {time.perf_counter() - start:6.1f} s")


def overhead(args) -> None:
    from recording_overhead import fine_tune, make_timed_lens

    from petlens.demo import pets_dataloaders

    timed_lens = make_timed_lens()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = synthetic_pets(tmp / "pets", n_classes=args.classes, per_class=args.per_class,
                              size=96)
        dls = pets_dataloaders(data, item_size=args.size * 5 // 4, size=args.size, bs=32)
        lens = dict(path=tmp / "runs", thumbs=False, saliency=())
        variants = {
            "fastai alone": lambda: None,
            "PetLens(thumbs=False, saliency=())": lambda: timed_lens(**lens),
            "  + embeddings=True": lambda: timed_lens(**lens, embeddings=True),
            "  + embeddings='valid+train'": lambda: timed_lens(**lens,
                                                               embeddings="valid+train"),
        }
        fine_tune(dls, tmp / "warmup", None, 1)
        walls, lenses = defaultdict(list), {}
        for _ in range(args.repeats):
            for name, make in variants.items():
                lens_ = make()
                if lens_ is not None:
                    lens_.host_ns, lens_.syncs, lens_.calls = (defaultdict(int),
                                                               defaultdict(int),
                                                               defaultdict(int))
                walls[name].append(fine_tune(dls, tmp / "learn", lens_, args.epochs))
                if lens_ is not None:
                    lenses[name] = lens_
        n_train = len(dls.train_ds)
    print(f"machine: {machine()}")
    print(f"fine_tune({args.epochs}, freeze_epochs=1) on {args.classes} synthetic breeds x "
          f"{args.per_class} at {args.size}px ({n_train} training items), resnet18, "
          f"{args.repeats} repeats, interleaved\n")
    base = statistics.median(walls["fastai alone"])
    print(f"{'variant':<36} {'median s':>9} {'ratio':>7} {'syncs/batch':>12} "
          f"{'µs/batch':>9} {'fit ends ms':>12}")
    for name in variants:
        median = statistics.median(walls[name])
        syncs = per_batch = ends = "-"
        if name in lenses:
            lens_ = lenses[name]
            n = max(lens_.calls["after_batch"], 1)
            syncs = f"{lens_.syncs['after_batch'] / n:.2f}"
            per_batch = f"{lens_.host_ns['after_batch'] / 1e3 / n:.0f}"
            ends = f"{lens_.host_ns['after_fit'] / 1e6:.0f}"
        print(f"{name:<36} {median:>9.2f} {median / base:>7.3f} {syncs:>12} {per_batch:>9} "
              f"{ends:>12}")
    print(f"\nwalls: {dict(walls)}")
    print("fit ends: PetLens host time in after_fit over the whole fine_tune (two fits): "
          "with 'valid+train' it holds the training-set pass and the neighbour thumbnails")


def measure_memory(mode: str, n_items: int, width: int) -> dict:
    import torch
    from fastai.data.core import DataLoaders
    from fastai.learner import Learner
    from fastai.losses import CrossEntropyLossFlat
    from preds_memory import PeakRss
    from torch import nn
    from torch.utils.data import TensorDataset

    from petlens import PetLens

    torch.manual_seed(0)
    train = TensorDataset(torch.randn(512, 16), torch.randint(0, 10, (512,)))
    valid = TensorDataset(torch.randn(n_items, 16), torch.randint(0, 10, (n_items,)))
    with tempfile.TemporaryDirectory() as tmp:
        dls = DataLoaders.from_dsets(train, valid, bs=512, num_workers=0)
        model = nn.Sequential(nn.Linear(16, width), nn.ReLU(), nn.Linear(width, 10))
        learn = Learner(dls, model, loss_func=CrossEntropyLossFlat(), path=Path(tmp))
        learn.remove_cb(learn.progress)
        learn.logger = lambda *a: None
        learn.fit(1, 1e-3)  # warm-up
        learn.add_cb(PetLens(path=Path(tmp) / "runs", thumbs=False, saliency=None,
                             embeddings=mode == "on"))
        with PeakRss() as peak:
            learn.fit(1, 1e-3)
        files = sorted((Path(tmp) / "runs").rglob("embeddings.npz"))
        return {"extra": peak.extra, "on_disk": files[-1].stat().st_size if files else 0}


def memory(args) -> None:
    from preds_memory import ENV

    if args.mode:
        print(json.dumps(measure_memory(args.mode, args.items, 512)))
        return
    samples = defaultdict(list)
    for _ in range(args.repeats):
        for mode in ("off", "on"):
            out = subprocess.run([sys.executable, __file__, "memory", "--mode", mode,
                                  "--items", str(args.items)], capture_output=True, text=True,
                                 check=True, env=ENV).stdout
            samples[mode].append(json.loads(out.strip().splitlines()[-1]))
    size = args.items * 512 * 2
    off = statistics.median(r["extra"] for r in samples["off"])
    on = statistics.median(r["extra"] for r in samples["on"])
    print(f"machine: {machine()}")
    print(f"{args.items:,} validation items x 512 features float16 = {size / 1e6:.1f} MB; "
          f"median of {args.repeats} fresh processes per mode\n")
    print(f"PetLens(embeddings=False) peak extra resident memory: {off / 1e6:7.1f} MB")
    print(f"PetLens(embeddings=True)  peak extra resident memory: {on / 1e6:7.1f} MB")
    print(f"embeddings' extra peak / feature array: {(on - off) / size:.2f}x "
          f"(embeddings.npz {samples['on'][-1]['on_disk'] / 1e6:.1f} MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("projection", "overhead", "memory"))
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--features", type=int, default=512)
    parser.add_argument("--train", type=int, default=6_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--classes", type=int, default=6)
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--mode", choices=("off", "on"), help="memory: one mode, this process")
    args = parser.parse_args()
    {"projection": projection, "overhead": overhead, "memory": memory}[args.part](args)


if __name__ == "__main__":
    main()
