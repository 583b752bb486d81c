"""Object masks of image items, mapped onto the model's input: the localisation check's truth.

One mask source, two layouts (:func:`object_mask`):

- petlens' synthetic pets: ``<root>/masks/<stem>.png`` beside ``<root>/images/`` (255 on the
  animal, 0 elsewhere);
- Oxford-IIIT Pets as ``untar_data(URLs.PETS)`` unpacks it: ``<root>/annotations/trimaps/
  <stem>.png`` beside ``<root>/images/`` (1 pet, 2 background, 3 border). The border is the
  pet's outline, drawn by hand: it counts as the pet (a map at the model's resolution cannot
  tell the two apart).

A mask is taken through the same validation ``Resize`` as the image (crop, pad or squish:
:func:`petlens.saliency.frame.seen_box`), so that it lies on the pixels the model saw.
Padding counts as background (fastai pads by reflection: the reflected animal is not the
object).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image

from .frame import seen_box

TRIMAP_OBJECT = (1, 3)  # Oxford-IIIT Pets trimap values that are the pet (pet, border)


def mask_file(item) -> tuple[Path, str] | None:
    """``(path, kind)`` of the mask of image file ``item`` (``kind`` 'binary' or 'trimap'),
    or ``None`` when there is none beside it."""
    if not isinstance(item, (str, os.PathLike)):
        return None
    item = Path(item)
    images = item.parent
    candidates = ((images.parent / "masks" / f"{item.stem}.png", "binary"),
                  (images.parent / "annotations" / "trimaps" / f"{item.stem}.png", "trimap"))
    return next(((p, kind) for p, kind in candidates if p.is_file()), None)


def object_mask(item) -> np.ndarray | None:
    """bool [h, w] at the image's own size: True on the object; ``None`` without a mask or
    when it cannot be read."""
    found = mask_file(item)
    if found is None:
        return None
    path, kind = found
    try:
        with Image.open(path) as img:
            values = np.asarray(img.convert("L"))
    except (OSError, ValueError):
        return None
    return np.isin(values, TRIMAP_OBJECT) if kind == "trimap" else values > 127


def mask_on_input(mask: np.ndarray, image_size: tuple[int, int], resize,
                  input_shape: tuple[int, int]) -> np.ndarray:
    """``mask`` (at the image's size ``(w, h)``) cropped / padded / squished as the validation
    ``resize`` treats the image, at the model's input shape ``(h, w)``.

    >>> from fastai.vision.augment import Resize
    >>> m = np.zeros((4, 8), bool); m[:, :2] = True          # object on the left quarter
    >>> bool(mask_on_input(m, (8, 4), Resize(4), (4, 4)).any())  # centre crop: cut off
    False
    >>> mask_on_input(m, (8, 4), Resize(4, 'squish'), (4, 4))[0].tolist()
    [True, False, False, False]
    """
    img = Image.fromarray(np.asarray(mask, np.uint8) * 255)
    if img.size != tuple(image_size):
        img = img.resize(tuple(image_size), Image.NEAREST)
    left, top, width, height = seen_box(tuple(image_size), resize)
    box = tuple(round(v) for v in (left, top, left + width, top + height))
    region = img.crop(box)  # outside the image (padding): 0
    h, w = input_shape
    return np.asarray(region.resize((w, h), Image.NEAREST)) > 127


def input_mask(item, resize, input_shape: tuple[int, int]) -> np.ndarray | None:
    """The object mask of ``item`` on the model's input (bool [h, w]), or ``None``."""
    mask = object_mask(item)
    if mask is None:
        return None
    try:
        with Image.open(item) as img:
            size = img.size
    except (OSError, ValueError):
        size = mask.shape[::-1]
    return mask_on_input(mask, size, resize, input_shape)
