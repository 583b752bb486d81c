"""Integrated Gradients with as few steps as its completeness check allows.

IG's attributions of an item should add up to ``F(x) - F(baseline)``; Captum returns the
difference as the convergence delta. Every item starts at the first step count of
``STEPS``; the items whose ``|delta|`` exceeds ``TOLERANCE`` times ``|F(x) - F(baseline)|``
(or ``TOLERANCE`` logits, whichever is more) are run again, batched, with the next count;
after the last count an item keeps its delta, which is stored with its map.

``F(x) - F(baseline)`` is computed once, from the forward pass that also gives the
predictions, not by Captum at every round (two more forward passes of the batch per round).
"""

from __future__ import annotations

import numpy as np
import torch
from captum.attr import IntegratedGradients

STEPS = (8, 16, 32, 64, 128)
TOLERANCE = 0.1


def adaptive_integrated_gradients(model, x, target, *, n_steps=None, baselines=0.0, **kwargs):
    """IG of ``x`` for ``target`` (``None``: the predicted class); ``n_steps`` given: exactly
    that many, else adaptive.

    Returns the attribution and ``{'params', 'n_steps', 'delta', 'predicted'}`` (per-item step
    counts, convergence deltas and the model's predictions).
    """
    ig = IntegratedGradients(model)
    n = len(x)
    with torch.no_grad():
        logits = model(x)
        predicted = logits.argmax(dim=1)
        target = predicted if target is None else target
        rows = torch.arange(n, device=x.device)
        gap = logits[rows, target] - _at_baseline(model, baselines, x)[rows, target]
    allowed = TOLERANCE * gap.abs().clamp(min=1.0)
    attr = torch.zeros_like(x)
    steps = np.zeros(n, dtype=np.int32)
    delta = np.zeros(n, dtype=np.float32)
    todo = rows
    per_item = (isinstance(baselines, torch.Tensor) and baselines.ndim == x.ndim
                and len(baselines) == n)
    for count in (n_steps,) if n_steps else STEPS:
        base = baselines[todo] if per_item else baselines
        part = ig.attribute(x[todo], baselines=base, target=target[todo], n_steps=count,
                            **kwargs)
        attr[todo] = part
        part_delta = part.detach().flatten(1).sum(1) - gap[todo]  # Captum's convergence delta
        done = part_delta.abs() <= allowed[todo]
        index = todo.cpu().numpy()
        steps[index] = count
        delta[index] = part_delta.cpu().numpy()
        todo = todo[~done]
        if not len(todo):
            break
    params = {"baselines": _describe(baselines), "rule": "gausslegendre",
              "steps": [n_steps] if n_steps else list(STEPS), "tolerance": TOLERANCE, **kwargs}
    return attr, {"params": params, "n_steps": steps, "delta": delta, "predicted": predicted}


def _at_baseline(model, baselines, x: torch.Tensor) -> torch.Tensor:
    """The model's logits at the baseline of each item of ``x`` (one forward pass of a single
    image when the items share their baseline)."""
    base = torch.as_tensor(baselines, dtype=x.dtype, device=x.device)
    if base.ndim == x.ndim and len(base) == len(x) > 1:  # one baseline per item
        return model(torch.broadcast_to(base, x.shape))
    return model(torch.broadcast_to(base, (1, *x.shape[1:]))).expand(len(x), -1)


def _describe(baselines):
    return baselines if isinstance(baselines, (int, float)) else "tensor"
