"""Shared helpers for the benchmarks: data, learners, timing, sync counting."""

from __future__ import annotations

import os
import platform
import statistics
import time
import warnings
from pathlib import Path

import torch
from torch.overrides import TorchFunctionMode

warnings.filterwarnings("ignore")

SYNC_FUNCS = {torch.Tensor.item, torch.Tensor.cpu, torch.Tensor.tolist, torch.Tensor.numpy,
              torch.Tensor.__bool__, torch.Tensor.__float__, torch.Tensor.__int__}


class SyncCounter(TorchFunctionMode):
    """Counts tensor calls that force a host-device synchronisation (item, cpu, tolist...)."""

    def __init__(self):
        super().__init__()
        self.count = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if func in SYNC_FUNCS:
            self.count += 1
        return func(*args, **(kwargs or {}))


def machine() -> str:
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"torch {torch.__version__}, "
            f"{'cuda ' + torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu'}")


def median_time(fn, repeats: int) -> tuple[float, list[float]]:
    """Median and all wall times of ``repeats`` calls of ``fn``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def synthetic_pets(root: Path, **kwargs) -> Path:
    from petlens.demo import make_pets

    return make_pets(root, **kwargs)


# what the saliency benchmarks explain: the maps a user gets by default
SALIENCY_METHODS = ("integrated_gradients", "gradcam")


def add_saliency_options(parser) -> None:
    """``--size``, ``--top``, ``--classes``, ``--per-class``: the synthetic-pets run a saliency
    benchmark explains (``saliency_dataloaders``)."""
    parser.add_argument("--size", type=int, default=64, help="model input size (px)")
    parser.add_argument("--top", type=int, default=16, help="saliency_top_k")
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--per-class", type=int, default=12)


def saliency_dataloaders(folder: Path, args):
    """Seeded data loaders of synthetic pets at ``args.size`` px (``add_saliency_options``),
    presized from a quarter larger, written under ``folder``."""
    from fastai.vision.all import set_seed

    from petlens.demo import pets_dataloaders

    data = synthetic_pets(folder / "pets", n_classes=args.classes, per_class=args.per_class,
                          size=args.size * 5 // 4)
    set_seed(0, reproducible=True)
    return pets_dataloaders(data, item_size=args.size * 5 // 4, size=args.size, bs=16)
