"""The Captum algorithms petlens offers, by name, with petlens' defaults.

Each method takes the float32 model, a batch ``x`` [n, c, h, w], the class to explain per
item and the extra keyword arguments of :func:`~petlens.saliency.attribute`, which go to the
Captum algorithm's ``attribute`` call (overriding the defaults below). It returns the raw
attribution [n, c or 1, h, w] and a dict of parameters (``params``, plus per-item arrays
``n_steps`` and ``delta`` for Integrated Gradients).

The methods that predict while they attribute (``predicts``: Saliency and Grad-CAM, whose
only forward pass is on ``x``; Integrated Gradients, which needs ``F(x)`` for its convergence
delta) also take ``None`` for the class (explain the prediction) and return the prediction as
``predicted``: it costs no forward pass of its own (on a CPU, a third of Saliency's time).

=====================  ====================================  ==================================
name                   Captum                                petlens defaults
=====================  ====================================  ==================================
integrated_gradients   ``IntegratedGradients``               zero baseline (the mean image
                                                             after ``Normalize``), ``n_steps``
                                                             chosen per item (``integrated``)
saliency               ``Saliency``                          ``abs=True``
gradcam                ``LayerGradCam`` on a late conv        ``relu_attributions=True``;
                       block (see ``layers``), upsampled     bilinear upsampling
occlusion              ``Occlusion``                         non-overlapping square windows,
                                                             1/8 of the side
noise_tunnel           ``NoiseTunnel(IntegratedGradients)``  SmoothGrad, 8 samples, noise 15 %
                                                             of the pixel range, 16 steps
=====================  ====================================  ==================================
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from captum.attr import (
    IntegratedGradients,
    LayerAttribution,
    LayerGradCam,
    NoiseTunnel,
    Occlusion,
    Saliency,
)

from .integrated import adaptive_integrated_gradients
from .layers import gradcam_layer

PIXEL_BUDGET = 2**18  # pixels per internal forward / backward pass (at least one batch)


@dataclass(frozen=True)
class Method:
    run: Callable
    sign: str  # how channels become one map: 'positive' part or 'absolute_value'
    needs_conv: bool = False
    predicts: bool = False  # takes target None (the prediction), returns 'predicted'


class Pick:
    """``model`` as Captum's forward function: per item, the logit of ``classes``, or with
    ``None`` of the class the model predicts at its first call (kept in ``predicted``)."""

    def __init__(self, model, classes: torch.Tensor | None):
        self.model, self.classes, self.predicted = model, classes, None

    def __call__(self, x):
        logits = self.model(x)
        if self.predicted is None:
            self.predicted = logits.detach().argmax(dim=1)
        classes = self.predicted if self.classes is None else self.classes
        return logits.gather(1, classes[:, None]).squeeze(1)


def _integrated_gradients(model, x, target, scale, **kwargs):
    kwargs.setdefault("internal_batch_size", _internal_batch(x))
    return adaptive_integrated_gradients(model, x, target, **kwargs)


def _saliency(model, x, target, scale, **kwargs):
    kwargs.setdefault("abs", True)
    pick = Pick(model, target)
    attr = Saliency(pick).attribute(x.requires_grad_(), **kwargs)
    return attr, {"params": kwargs, "predicted": pick.predicted}


def _gradcam(model, x, target, scale, **kwargs):
    name, layer, size = gradcam_layer(model, x)
    kwargs.setdefault("relu_attributions", True)
    pick = Pick(model, target)
    attr = LayerGradCam(pick, layer).attribute(x, **kwargs)
    attr = LayerAttribution.interpolate(attr, tuple(x.shape[-2:]), interpolate_mode="bilinear")
    return attr, {"params": {"layer": name, "layer_size": list(size), **kwargs},
                  "predicted": pick.predicted}


def _occlusion(model, x, target, scale, **kwargs):
    c, h, w = x.shape[1:]
    window = max(2, round(min(h, w) / 8))
    kwargs.setdefault("sliding_window_shapes", (c, window, window))
    kwargs.setdefault("strides", (c, window, window))
    kwargs.setdefault("perturbations_per_eval", max(1, PIXEL_BUDGET // (len(x) * h * w)))
    attr = Occlusion(model).attribute(x, target=target, **kwargs)
    return attr, {"params": kwargs}


def _noise_tunnel(model, x, target, scale, **kwargs):
    kwargs.setdefault("nt_type", "smoothgrad")
    kwargs.setdefault("nt_samples", 8)
    kwargs.setdefault("stdevs", 0.15 * scale)
    kwargs.setdefault("n_steps", 16)
    kwargs.setdefault("internal_batch_size", _internal_batch(x))
    attr = NoiseTunnel(IntegratedGradients(model)).attribute(x, target=target, **kwargs)
    return attr, {"params": kwargs}


def _internal_batch(x: torch.Tensor) -> int:
    return max(len(x), PIXEL_BUDGET // (x.shape[-1] * x.shape[-2]))


METHODS = {  # in the order of petlens.schema.SALIENCY_METHODS
    "integrated_gradients": Method(_integrated_gradients, "positive", predicts=True),
    "saliency": Method(_saliency, "absolute_value", predicts=True),
    "gradcam": Method(_gradcam, "positive", needs_conv=True, predicts=True),
    "occlusion": Method(_occlusion, "positive"),
    "noise_tunnel": Method(_noise_tunnel, "positive"),
}
