"""Convolutional layers of a model, and the one Grad-CAM explains."""

from __future__ import annotations

import torch
from torch import nn

MIN_CAM_SIZE = 7  # smallest Grad-CAM map (per side) worth showing


def has_conv(model: nn.Module) -> bool:
    """Whether ``model`` has a 2-d convolution (Grad-CAM needs one)."""
    return any(isinstance(m, nn.Conv2d) for m in model.modules())


def gradcam_layer(model: nn.Module, x: torch.Tensor) -> tuple[str, nn.Module, tuple[int, int]]:
    """``(name, module, (h, w))`` of the layer Grad-CAM explains for inputs like ``x``.

    Runs one forward pass with hooks on every convolution and every block holding one, in the
    order they finish, and picks the last whose output is at least 7x7 (at 64 px a resnet's
    last block is 2x2: too coarse); if none is, the one with the largest output.
    """
    names = {m: n for n, m in model.named_modules() if n and _holds_conv(m)}
    seen: list[tuple[str, nn.Module, tuple[int, int]]] = []

    def hook(module, _inputs, output):
        if isinstance(output, torch.Tensor) and output.ndim == 4:
            seen.append((names[module], module, tuple(output.shape[-2:])))

    handles = [m.register_forward_hook(hook) for m in names]
    try:
        with torch.no_grad():
            model(x[:1])
    finally:
        for handle in handles:
            handle.remove()
    if not seen:
        raise ValueError("no convolutional layer produced a 2-d feature map")
    large = [s for s in seen if min(s[2]) >= MIN_CAM_SIZE]
    if large:
        return large[-1]
    biggest = max(h * w for _, _, (h, w) in seen)
    return [s for s in seen if s[2][0] * s[2][1] == biggest][-1]


def _holds_conv(module: nn.Module) -> bool:
    return any(isinstance(m, nn.Conv2d) for m in module.modules())
