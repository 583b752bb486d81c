"""Integrated Gradients with as few steps as its completeness check allows.

IG's attributions of an item should add up to ``F(x) - F(baseline)``; Captum returns the
difference as the convergence delta. Every item starts at the first step count of
``STEPS``; the items whose ``|delta|`` exceeds ``TOLERANCE`` times ``|F(x) - F(baseline)|``
(or ``TOLERANCE`` logits, whichever is more) are run again, batched, with the next count;
after the last count an item keeps its delta, which is stored with its map.
"""

from __future__ import annotations

import numpy as np
import torch
from captum.attr import IntegratedGradients

STEPS = (8, 16, 32, 64, 128)
TOLERANCE = 0.1


def adaptive_integrated_gradients(model, x, target, *, n_steps=None, baselines=0.0, **kwargs):
    """IG of ``x`` for ``target``; ``n_steps`` given: exactly that many, else adaptive.

    Returns the attribution and ``{'params', 'n_steps', 'delta'}`` (per-item step counts and
    convergence deltas).
    """
    ig = IntegratedGradients(model)
    n = len(x)
    attr = torch.zeros_like(x)
    steps = np.zeros(n, dtype=np.int32)
    delta = np.zeros(n, dtype=np.float32)
    todo = torch.arange(n, device=x.device)
    per_item = (isinstance(baselines, torch.Tensor) and baselines.ndim == x.ndim
                and len(baselines) == n)
    for count in (n_steps,) if n_steps else STEPS:
        base = baselines[todo] if per_item else baselines
        part, part_delta = ig.attribute(x[todo], baselines=base, target=target[todo],
                                        n_steps=count, return_convergence_delta=True, **kwargs)
        attr[todo] = part
        gap = part.flatten(1).sum(1) - part_delta  # F(x) - F(baseline)
        done = part_delta.abs() <= TOLERANCE * gap.abs().clamp(min=1.0)
        index = todo.cpu().numpy()
        steps[index] = count
        delta[index] = part_delta.detach().cpu().numpy()
        todo = todo[~done]
        if not len(todo):
            break
    params = {"baselines": _describe(baselines), "rule": "gausslegendre",
              "steps": [n_steps] if n_steps else list(STEPS), "tolerance": TOLERANCE, **kwargs}
    return attr, {"params": params, "n_steps": steps, "delta": delta}


def _describe(baselines):
    return baselines if isinstance(baselines, (int, float)) else "tensor"
