"""From validation item indices or image paths to the model's input, as fastai builds it.

Batches come from ``learn.dls.test_dl(...)``: the validation transforms (presizing crop,
``Normalize``), no augmentation, on the learner's device. Nothing of the learner's data
pipeline is changed.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import torch

from ..errors import PetLensError


def valid_item(learn, index: int):
    """Validation item ``index`` (a path, or a data-frame row)."""
    items = learn.dls.valid_ds.items
    return items.iloc[index] if hasattr(items, "iloc") else items[index]


def resolve_items(learn, items) -> list:
    """Validation item indices (``int``) and image paths (``str`` / ``Path``) -> items."""
    n_valid = len(learn.dls.valid_ds.items)
    resolved = []
    for item in items:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not 0 <= item < n_valid:
                raise PetLensError(f"no validation item {item!r} (the validation set has "
                                   f"{n_valid} items)")
            resolved.append(valid_item(learn, int(item)))
        elif isinstance(item, (str, os.PathLike)):
            resolved.append(Path(item))
        else:
            raise PetLensError(f"items must be validation indices or image paths, "
                               f"not {type(item).__name__}")
    return resolved


def item_loader(learn, items, *, labels: bool, bs: int | None = None):
    """The fastai test ``DataLoader`` of ``items`` (validation transforms); with ``labels``
    every item is labelled by the learner's labelling function first, or a clear error."""
    dl = learn.dls.test_dl(items, with_labels=labels, bs=bs or learn.dls.valid.bs)
    if labels:
        dataset = dl.dataset
        tls = getattr(dataset, "tls", [])
        n_inp = getattr(dataset, "n_inp", 1)
        if len(tls) <= n_inp:
            raise PetLensError("target='actual' needs labels, and this learner's data has none")
        for i, item in enumerate(items):
            try:
                tls[n_inp][i]
            except Exception as e:
                raise PetLensError(f"target='actual': cannot label {item} with the learner's "
                                   f"labelling function ({type(e).__name__}: {e}); use "
                                   f"target='pred' or a validation index") from None
    return dl


def plain(x) -> torch.Tensor:
    """A fastai ``TensorImage`` batch as a plain float32 tensor (what Captum expects)."""
    return x.as_subclass(torch.Tensor).float()


def decoded_images(dl, x) -> np.ndarray:
    """The batch ``x`` decoded by the loader's batch transforms (``Normalize`` undone):
    uint8 [n, h, w, 3], what the model saw."""
    images = dl.after_batch.decode(x)
    return plain(images).clamp(0, 255).round().byte().permute(0, 2, 3, 1).cpu().numpy()


def input_scale(dl) -> float:
    """How wide the pixel range [0, 1] is after the loader's ``Normalize`` (1 without one)."""
    from fastai.data.transforms import Normalize

    for tfm in dl.after_batch.fs:
        if isinstance(tfm, Normalize):
            return float((1 / plain(tfm.std)).mean())
    return 1.0


def validation_resize(dl):
    """The ``Resize`` of the loader's item transforms (presizing), or ``None``."""
    from fastai.vision.augment import Resize

    return next((t for t in dl.after_item.fs if isinstance(t, Resize)), None)

