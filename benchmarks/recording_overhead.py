"""Benchmark 1: the cost of recording a chapter-5 ``fine_tune`` with PetLens.

Runs the same ``fine_tune`` (same seed, data and model) without PetLens, with PetLens
(thumbnails off), with PetLens (thumbnails off) and its dashboard displayed (``lens.show()``
on a comm that discards what it is sent after counting its bytes, as a front end would
receive them), and with PetLens (defaults), ``--repeats`` times each, interleaved, and prints
the median wall times, their ratios, the host time PetLens spends per recorded training
iteration (the dashboard's updates included), and how many host-device synchronising calls
PetLens made per batch. Then the bytes the displayed dashboard is sent, per second and per
epoch, at ``--bytes-classes`` classes (the 37 breeds; 1000 classes as ``tests/test_scale.py``
builds them: the breeds' images, a 1000-class vocab).

    python benchmarks/recording_overhead.py --repeats 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from _common import SyncCounter, machine, synthetic_pets

DISPLAYED = "PetLens(thumbs=False) + dashboard"


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


class CountedComm:
    """What a displayed widget sends, counted as a front end receives it (the message as
    JSON text plus its binary buffers), then discarded."""

    def __init__(self):
        self.bytes = defaultdict(int)  # message kind -> bytes

    def send(self, data=None, metadata=None, buffers=None):
        kind = (data or {}).get("content", {}).get("type") or (data or {}).get("method")
        text = json.dumps(data, default=str, separators=(",", ":"))
        self.bytes[kind] += len(text) + sum(memoryview(b).nbytes for b in buffers or ())

    def total(self) -> int:
        return sum(self.bytes.values())


def show_dashboard(lens) -> CountedComm:
    """``lens.show()`` as displayed in a notebook whose front end discards the messages."""
    from petlens.widgets import Dashboard

    counted = CountedComm()
    dashboard = Dashboard.from_lens(lens)
    dashboard.comm.send = counted.send  # ipywidgets' dummy comm: there is no kernel
    lens.dashboard_kept, lens.sent = dashboard, counted  # alive while it trains
    return counted


def fine_tune(dls, workdir: Path, lens, epochs: int, seed: int = 0, *, watch=None):
    from fastai.vision.all import ProgressCallback, error_rate, resnet18, set_seed, vision_learner

    set_seed(seed, reproducible=True)
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate, path=workdir)
    learn.remove_cb(ProgressCallback)
    learn.logger = lambda *_: None
    if lens is not None:
        learn.add_cb(lens)
    if watch is not None:
        watch(lens)
    start = time.perf_counter()
    learn.fine_tune(epochs, base_lr=2e-3, freeze_epochs=1)
    return time.perf_counter() - start


def bytes_sent(n_classes: int, tmp: Path, size: int) -> dict:
    """One fine_tune(1) of a learner with ``n_classes`` outputs, its dashboard displayed:
    bytes sent by kind, per second and per epoch."""
    from fastai.vision.all import get_image_files

    from petlens import PetLens
    from petlens.demo import BREEDS, pets_dataloaders

    data = synthetic_pets(tmp / "pets37", n_classes=len(BREEDS), per_class=12, size=96)
    breeds = sorted({p.name.rsplit("_", 1)[0] for p in get_image_files(data)})
    vocab = None if n_classes <= len(breeds) else (
        breeds + [f"breed_{i:04d}" for i in range(n_classes - len(breeds))])
    dls = pets_dataloaders(data, item_size=size * 5 // 4, size=size, bs=32, vocab=vocab)
    lens = PetLens(path=tmp / "runs-bytes", thumbs=False, saliency=())
    wall = fine_tune(dls, tmp / "learn-bytes", lens, 1, watch=show_dashboard)
    epochs = sum(p["n_epoch"] for p in lens.run.phases)
    return {"classes": n_classes, "wall": wall, "epochs": epochs, "bytes": dict(lens.sent.bytes),
            "total": lens.sent.total(), "iterations": len(lens.run.timeline)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--classes", type=int, default=6)
    parser.add_argument("--per-class", type=int, default=40)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--bytes-classes", type=int, nargs="*", default=[37, 1000])
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
            DISPLAYED: lambda: timed_lens(path=tmp / "runs", thumbs=False, saliency=()),
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
                wall = fine_tune(dls, tmp / "learn", lens, args.epochs,
                                 watch=show_dashboard if name == DISPLAYED else None)
                walls[name].append(wall)
                if lens is not None:
                    start = time.perf_counter()
                    run = lens.run
                    lenses[name].append((lens, time.perf_counter() - start, len(run.timeline)))
                    lens.wait_for_saliency(progress=False)  # maps from the background thread
        scales = [bytes_sent(n, tmp, args.size) for n in args.bytes_classes]

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

    lens, _, _ = lenses[DISPLAYED][-1]
    wall = walls[DISPLAYED][-1]
    epochs = args.epochs + 1
    print(f"\n{DISPLAYED}: {lens.sent.total() / wall / 1e3:.1f} KB/s, "
          f"{lens.sent.total() / epochs / 1e3:.1f} KB per epoch "
          f"({_kinds(lens.sent.bytes)})")
    print(f"\nbytes sent to a displayed dashboard, fine_tune(1, freeze_epochs=1) at "
          f"{args.size}px, 12 images per breed:")
    print(f"{'classes':>8} {'iterations':>11} {'wall s':>7} {'KB/s':>8} {'KB/epoch':>9}  by kind")
    for scale in scales:
        print(f"{scale['classes']:>8} {scale['iterations']:>11} {scale['wall']:>7.1f} "
              f"{scale['total'] / scale['wall'] / 1e3:>8.1f} "
              f"{scale['total'] / scale['epochs'] / 1e3:>9.1f}  {_kinds(scale['bytes'])}")
    print("\nkinds: petlens:append = timeline deltas (binary); update = trait changes (the "
          "running lr_find curve, progress, and every panel refreshed at each save).")


def _kinds(sent: dict) -> str:
    return ", ".join(f"{kind} {n / 1e3:.1f} KB" for kind, n in sorted(sent.items(),
                                                                      key=lambda kv: -kv[1]))


if __name__ == "__main__":
    main()
