"""A fit recorded by PetLens under ``learn.distrib_ctx()``, one process per rank.

Run by ``tests/test_distributed.py`` with ``torchrun --nproc_per_node 2 ddp_fit.py PETS OUT
[RUNS]`` on the gloo backend (CPU). Rank 0 saves the final weights as
``OUT/learn/models/final.pth`` so the test can compare the recorded predictions with a
single-process ``get_preds``. ``RUNS`` (default ``OUT/runs``) is PetLens's ``path``.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import torch
import torch.distributed as dist

warnings.filterwarnings("ignore", message=".*torch.jit.script.*", category=FutureWarning)


def broadcast_on_cpu(self, t, rank):
    """fastai's ``DistributedDL._broadcast`` moves the indices to CUDA for nccl; gloo on a
    CPU broadcasts the same indices from CPU memory."""
    t = torch.LongTensor(t)
    dist.broadcast(t, rank)
    return t.tolist()


def learner(pets: Path, path: Path):
    from fastai.vision.all import ProgressCallback, error_rate, resnet18, set_seed, vision_learner

    from petlens.demo import pets_dataloaders

    set_seed(0, reproducible=True)
    dls = pets_dataloaders(pets, item_size=40, size=32, bs=4)
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate, path=path)
    learn.remove_cb(ProgressCallback)
    return learn


def main(pets: str, out: str, runs: str | None = None) -> None:
    from fastai.distributed import DistributedDL

    from petlens import PetLens

    DistributedDL._broadcast = broadcast_on_cpu
    dist.init_process_group("gloo")
    out = Path(out)
    learn = learner(Path(pets), out / "learn")
    learn.add_cb(PetLens(path=runs or out / "runs", saliency=None,
                         probs_top_k=3,  # of 4 classes: the top-k arrays are gathered too
                         embeddings="valid+train"))  # the features are gathered too
    with learn.distrib_ctx(sync_bn=False, cpu=True):
        learn.fit(2, 1e-3)
    if dist.get_rank() == 0:
        learn.save("final")
    dist.barrier()
    dist.destroy_process_group()


if __name__ == "__main__":
    main(*sys.argv[1:4])
