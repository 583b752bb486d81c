"""``attribute``: saliency maps of validation items or image files for a fastai learner."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..errors import PetLensError
from ..model_info import inputs_are_images
from ..schema import SALIENCY_TARGETS
from .inputs import (
    decoded_images,
    input_scale,
    item_loader,
    plain,
    resolve_items,
)
from .layers import has_conv
from .methods import METHODS
from .model import float32_model
from .normalise import normalise

TARGETS = SALIENCY_TARGETS  # explain the predicted class or the actual one


@dataclass(frozen=True)
class Attributions:
    """Saliency maps of a batch of items, with what they explain and how they were made."""

    maps: np.ndarray       # float32 [n, h, w] in [0, 1], on the model's input
    images: np.ndarray     # uint8 [n, h, w, 3], that input decoded (Normalize undone)
    classes: np.ndarray    # int [n], the class each map explains
    predicted: np.ndarray  # int [n], the model's prediction
    method: str
    target: str
    params: dict           # the Captum call's parameters (petlens defaults included)
    n_steps: np.ndarray | None = None  # Integrated Gradients: steps used per item
    delta: np.ndarray | None = None    # Integrated Gradients: convergence delta per item

    def plot(self, axs=None, *, alpha: float = 0.7):
        """Each map over the image the model saw (inferno, transparent where 0)."""
        if axs is None:
            import matplotlib.pyplot as plt

            _, axs = plt.subplots(1, len(self.maps), figsize=(3 * len(self.maps), 3),
                                  squeeze=False)
        axs = np.ravel(axs)
        for ax, image, heat in zip(axs, self.images, self.maps, strict=False):
            ax.imshow(image)
            ax.imshow(heat, cmap="inferno", alpha=alpha * heat, vmin=0, vmax=1)
            ax.set_axis_off()
        return axs


def available_methods(learn) -> list[str]:
    """Methods :func:`attribute` can run for ``learn``: all but ``gradcam`` when the model has
    no convolution; none when its inputs are not images."""
    if not inputs_are_images(learn):
        return []
    conv = has_conv(learn.model)
    return [name for name, method in METHODS.items() if conv or not method.needs_conv]


def attribute(learn, items, method: str = "integrated_gradients", target: str = "pred", *,
              bs: int | None = None, **kwargs) -> np.ndarray:
    """Saliency maps, float32 [n_items, h, w] in [0, 1], at the model's input size.

    ``items``: validation item indices (``learn.dls.valid_ds.items``) or image paths, loaded
    with the validation transforms. ``method``: ``'integrated_gradients'``, ``'saliency'``,
    ``'gradcam'``, ``'occlusion'`` or ``'noise_tunnel'``. ``target``: explain the predicted
    class (``'pred'``) or the actual one (``'actual'``; for paths, from the learner's
    labelling function). Items are attributed ``bs`` at a time (default: the validation batch
    size), on the learner's device, in float32. Extra keyword arguments go to the Captum
    algorithm's ``attribute`` call (e.g. ``n_steps=64`` fixes IG's steps, ``nt_samples=4``;
    IG's own ``method`` cannot be passed: it is always ``'gausslegendre'``).

    >>> attribute(learn, [0, 1, 2], 'gradcam').shape   # 32 px inputs here, 224 in chapter 5
    (3, 32, 32)
    """
    return explain(learn, items, method, target, bs=bs, **kwargs).maps


def explain(learn, items, method: str = "integrated_gradients", target: str = "pred", *,
            bs: int | None = None, **kwargs) -> Attributions:
    """:func:`attribute` with everything else it knows: images, classes, parameters."""
    spec = _method(learn, method)
    if target not in TARGETS:
        raise PetLensError(f"target={target!r}: expected one of {TARGETS}")
    items = resolve_items(learn, items)
    if not items:
        raise PetLensError("attribute: no items given")
    dl = item_loader(learn, items, labels=target == "actual", bs=bs)
    scale = input_scale(dl)
    parts = []
    with float32_model(learn.model) as model:
        for batch in dl:
            x = plain(batch[0]).detach()
            actual = batch[1].as_subclass(torch.Tensor).long() if target == "actual" else None
            parts.append(dict(attribute_batch(spec, model, x, actual, scale, **kwargs),
                              images=decoded_images(dl, batch[0])))
    info = parts[0]["info"]
    joined = {key: np.concatenate([p[key] for p in parts])
              for key in ("maps", "images", "classes", "predicted")}
    per_item = {key: np.concatenate([p["info"][key] for p in parts]) if key in info else None
                for key in ("n_steps", "delta")}
    return Attributions(**joined, method=method, target=target, params=info["params"],
                        **per_item)


def attribute_batch(spec, model, x: torch.Tensor, actual: torch.Tensor | None, scale: float,
                    **kwargs) -> dict:
    """One batch ``x`` through method ``spec`` on a float32 ``model`` in eval mode: ``maps``
    (normalised), ``classes`` explained (``actual``, or the prediction when ``None``),
    ``predicted`` and the method's ``info`` (parameters, IG steps and deltas)."""
    if spec.predicts:  # the prediction comes from the method's own forward pass
        attr, info = spec.run(model, x, actual, scale, **kwargs)
        predicted = info.pop("predicted")
    else:
        with torch.no_grad():
            predicted = model(x).argmax(dim=1)
        attr, info = spec.run(model, x, predicted if actual is None else actual, scale,
                              **kwargs)
    classes = predicted if actual is None else actual
    return dict(maps=normalise(attr.detach().cpu().numpy(), spec.sign),
                classes=_numpy(classes), predicted=_numpy(predicted), info=info)


def _method(learn, name: str):
    if name not in METHODS:
        raise PetLensError(f"method={name!r}: expected one of {tuple(METHODS)}")
    if not inputs_are_images(learn):
        raise PetLensError("saliency needs image inputs; this learner's inputs are not images")
    if METHODS[name].needs_conv and not has_conv(learn.model):
        raise PetLensError(f"method={name!r} needs a convolutional layer and this model "
                           f"({type(learn.model).__name__}) has none; use another method")
    return METHODS[name]


def _numpy(tensor: torch.Tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy().astype(np.int64)
