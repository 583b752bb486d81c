"""Benchmark 1: the cost of recording a chapter-5 ``fine_tune`` with PetLens.

Runs the same ``fine_tune`` (same seed, data and model) without PetLens, with PetLens
(thumbnails off) and with PetLens (defaults), ``--repeats`` times each, interleaved, and
prints the median wall times, their ratios, the host time PetLens spends per recorded
training iteration, and how many host-device synchronising calls PetLens made per batch.

    python benchmarks/recording_overhead.py --repeats 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _common import SyncCounter, machine, synthetic_pets


def make_timed_lens():
    from petlens import PetLens

    class TimedPetLens(PetLens):
        """PetLens that measures its own host time and sync calls per event."""

        def __call__(self, event_name):
            counter = SyncCounter()
            start = time.perf_counter_ns()
            with counter:
                result = super().__call__(event_name)
            self.host_ns[event_name] += time.perf_counter_ns() - start
            self.syncs[event_name] += counter.count
            self.calls[event_name] += 1
            return result

    return TimedPetLens


def fine_tune(dls, workdir: Path, lens, epochs: int, seed: int = 0):
    from fastai.vision.all import ProgressCallback, error_rate, resnet18, set_seed, vision_learner

    set_seed(seed, reproducible=True)
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate, path=workdir)
    learn.remove_cb(ProgressCallback)
    learn.logger = lambda *_: None
    if lens is not None:
        learn.add_cb(lens)
    start = time.perf_counter()
    learn.fine_tune(epochs, base_lr=2e-3, freeze_epochs=1)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--classes", type=int, default=6)
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--size", type=int, default=64)
    args = parser.parse_args()

    from petlens.demo import pets_dataloaders

    timed_lens = make_timed_lens()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = synthetic_pets(tmp / "pets", n_classes=args.classes, per_class=args.per_class,
                              size=96)
        dls = pets_dataloaders(data, item_size=args.size * 5 // 4, size=args.size, bs=32)
        variants = {
            "fastai alone": lambda: None,
            "PetLens(thumbs=False, saliency=())": lambda: timed_lens(
                path=tmp / "runs", thumbs=False, saliency=()),
            "PetLens() defaults": lambda: timed_lens(path=tmp / "runs"),
        }
        fine_tune(dls, tmp / "warmup", None, 1)  # warm up caches and the allocator
        walls = defaultdict(list)
        lenses = defaultdict(list)
        for _ in range(args.repeats):
            for name, make in variants.items():
                lens = make()
                if lens is not None:
                    lens.host_ns, lens.syncs, lens.calls = (defaultdict(int), defaultdict(int),
                                                            defaultdict(int))
                wall = fine_tune(dls, tmp / "learn", lens, args.epochs)
                walls[name].append(wall)
                if lens is not None:
                    start = time.perf_counter()
                    run = lens.run  # the first read computes the saliency maps (if on)
                    lenses[name].append((lens, time.perf_counter() - start, len(run.timeline)))

    print(f"machine: {machine()}")
    print(f"fine_tune({args.epochs}, freeze_epochs=1) on {args.classes} synthetic breeds x "
          f"{args.per_class} images at {args.size}px, resnet18, {args.repeats} repeats\n")
    base = statistics.median(walls["fastai alone"])
    print(f"{'variant':<36} {'median s':>9} {'ratio':>7} {'µs/batch':>9} {'syncs/batch':>12} "
          f"{'epoch+fit ends ms':>18} {'first read s':>13}")
    for name in variants:
        median = statistics.median(walls[name])
        per_batch = syncs = fixed = first_read = "-"
        if lenses[name]:
            lens, read_s, _ = lenses[name][-1]
            first_read = f"{read_s:.2f}"
            n_batches = max(lens.calls["after_batch"], 1)
            per_batch = f"{lens.host_ns['after_batch'] / 1e3 / n_batches:.0f}"
            syncs = f"{lens.syncs['after_batch'] / n_batches:.2f}"
            rest = sum(v for k, v in lens.host_ns.items() if k != "after_batch")
            fixed = f"{rest / 1e6:.0f}"
        print(f"{name:<36} {median:>9.2f} {median / base:>7.3f} {per_batch:>9} {syncs:>12} "
              f"{fixed:>18} {first_read:>13}")
    print("\nµs/batch: PetLens host time per batch (training and validation); syncs/batch: "
          "item/cpu/tolist/numpy/bool calls PetLens made per batch; epoch+fit ends: its host "
          "time everywhere else (writing the run folder, thumbnails); first read: lens.run "
          "after training, which computes the top-loss saliency maps when they are on.")


if __name__ == "__main__":
    main()
