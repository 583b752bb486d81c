"""Distributed data parallel training (gloo on CPU, two processes started by torchrun)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from petlens import load_run

HERE = Path(__file__).parent


def torchrun(*args) -> subprocess.CompletedProcess:
    """Two processes of ``ddp_fit.py`` on the gloo backend; a deadlock fails the time limit."""
    pytest.importorskip("accelerate")  # fastai's distrib_ctx needs it
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node",
         "2", str(HERE / "ddp_fit.py"), *map(str, args)],
        capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_ddp_gathers_every_validation_item_once_and_only_rank_0_writes(pets_path, tmp_path):
    from ddp_fit import learner

    out = tmp_path / "out"
    torchrun(pets_path, out)

    runs = list((out / "runs").iterdir())
    assert len(runs) == 1  # rank 1 wrote nothing
    run = load_run(runs[0])
    assert run.complete and [p["status"] for p in run.phases] == ["finished"]
    assert [e["epoch"] for e in run.timeline.epochs] == [0, 1]

    # the same weights in one process: the recorded predictions are fastai's, item by item
    learn = learner(pets_path, out / "learn")
    learn.load("final")
    probs, targets, losses = learn.get_preds(with_loss=True)
    valid_items = [str(p.relative_to(pets_path / "images")) for p in learn.dls.valid.items]
    assert len(valid_items) % 2 == 1  # DistributedDL pads the last rank: unpadded here
    preds = run.preds
    assert list(preds.items) == valid_items  # every item exactly once, in order
    np.testing.assert_array_equal(preds.targets, targets.numpy())
    probs = probs.numpy()
    assert preds.top_k == 3
    np.testing.assert_array_equal(np.sort(preds.topk_classes, 1),
                                  np.sort(np.argsort(-probs, 1)[:, :3], 1))
    np.testing.assert_allclose(preds.topk_probs.astype(np.float32),
                               np.take_along_axis(probs, preds.topk_classes, 1), atol=2e-3)
    np.testing.assert_allclose(preds.prob_actual(),
                               probs[np.arange(len(probs)), targets.numpy()], atol=2e-3)
    np.testing.assert_allclose(preds.losses, losses.numpy(), rtol=1e-3, atol=1e-4)
    np.testing.assert_array_equal(preds.decoded, probs.argmax(1))
    # the features of the last nn.Linear, gathered like the predictions; the training pass
    # runs on rank 0 alone once the fit has unwrapped the model
    layer = [m for m in learn.model.modules() if isinstance(m, torch.nn.Linear)][-1]
    seen = []
    handle = layer.register_forward_hook(lambda m, i, o: seen.append(i[0].detach().clone()))
    learn.get_preds()
    handle.remove()
    np.testing.assert_allclose(run.embeddings.features.astype(np.float32),
                               torch.cat(seen).numpy(), rtol=1e-2, atol=1e-2)
    assert run.embeddings.source == "valid+train"
    assert len(run.embeddings.train_items) == len(learn.dls.train.items)


def test_ddp_with_an_unwritable_run_folder_trains_without_deadlock(pets_path, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the runs folder should be")
    done = torchrun(pets_path, tmp_path / "out", blocker / "runs")
    assert "petlens" in done.stderr and "not-a-folder" in done.stderr  # warned, named
    assert (tmp_path / "out" / "learn" / "models" / "final.pth").exists()  # trained to the end
