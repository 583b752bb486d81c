"""Running the learner's model for attribution: float32, eval mode, gradients on, restored after."""

from __future__ import annotations

import copy
from contextlib import contextmanager

import torch
from torch import nn


@contextmanager
def float32_model(model: nn.Module):
    """Yield ``model`` ready for attribution, leaving the learner's model as it was.

    Inside: eval mode, gradients enabled, autocast off (so ``to_fp16`` learners attribute in
    float32). A model holding half-precision weights is attributed on a float32 copy.
    """
    tensors = [*model.parameters(), *model.buffers()]
    device = tensors[0].device if tensors else torch.device("cpu")
    half = any(t.is_floating_point() and t.dtype != torch.float32 for t in tensors)
    target = copy.deepcopy(model).float() if half else model
    was_training = model.training
    target.eval()
    try:
        with torch.autocast(device_type=device.type, enabled=False), torch.enable_grad():
            yield target
    finally:
        model.train(was_training)



def snapshot_model(model: nn.Module) -> nn.Module:
    """A float32 copy of ``model`` (unwrapped from ``DataParallel`` / DDP) in eval mode, its
    weights frozen: what background attribution runs on while the learner goes on changing."""
    model = getattr(model, "module", model) if isinstance(
        model, (nn.DataParallel, nn.parallel.DistributedDataParallel)) else model
    copy_ = copy.deepcopy(model).float().eval()
    for parameter in copy_.parameters():
        parameter.requires_grad_(False)
    return copy_
