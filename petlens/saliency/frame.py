"""Placing a map computed on the model's input over the whole original image.

fastai's validation ``Resize`` centre-crops (or pads, or squishes) each image before the
model sees it, while the widgets stretch a map over the whole image. A map is therefore
pasted into the part of the image the model saw (zero elsewhere) and resized to the size
it is shown at (a thumbnail: longest side 128 px).
"""

from __future__ import annotations

import os

import numpy as np
from PIL import Image


def display_size(image_size: tuple[int, int], longest: int) -> tuple[int, int]:
    """``(w, h)`` of a thumbnail with longest side ``longest`` (never enlarged), as Pillow's
    ``Image.thumbnail`` makes it, up to rounding."""
    w, h = image_size
    scale = min(1.0, longest / max(w, h))
    return max(1, round(w * scale)), max(1, round(h * scale))


def seen_box(image_size: tuple[int, int], resize) -> tuple[float, float, float, float]:
    """``(left, top, width, height)``, in image pixels, of the region the model's input shows.

    ``resize`` is the validation ``fastai.vision.augment.Resize`` (or ``None``: the whole
    image, resized). Crop gives a box inside the image, pad one larger than it.
    """
    w, h = image_size
    if resize is None or resize.method == "squish":
        return 0.0, 0.0, float(w), float(h)
    size_w, size_h = resize.size  # fastai stores (w, h)
    ratio_w, ratio_h = w / size_w, h / size_h
    m = min(ratio_w, ratio_h) if resize.method == "crop" else max(ratio_w, ratio_h)
    crop_w, crop_h = int(m * size_w), int(m * size_h)
    left, top = int(0.5 * (w - crop_w)), int(0.5 * (h - crop_h))  # centred, as fastai validates
    return float(left), float(top), float(crop_w), float(crop_h)


def place(values: np.ndarray, image_size: tuple[int, int], box, size: tuple[int, int]):
    """Map ``values`` [h, w] (the model's input) onto an image of ``image_size`` at ``size``.

    >>> place(np.ones((2, 2), np.float32), (4, 2), (1, 0, 2, 2), (4, 2)).tolist()
    [[0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0]]
    """
    sx, sy = size[0] / image_size[0], size[1] / image_size[1]
    left, top, width, height = box
    region = Image.fromarray(np.asarray(values, np.float32)).resize(
        (max(1, round(width * sx)), max(1, round(height * sy))), Image.BILINEAR)
    canvas = Image.new("F", size, 0.0)
    canvas.paste(region, (round(left * sx), round(top * sy)))
    return np.asarray(canvas, dtype=np.float32)


def image_size(item) -> tuple[int, int] | None:
    """``(w, h)`` of an image file item, or ``None`` when it is not a readable image file."""
    if not isinstance(item, (str, os.PathLike)):
        return None
    try:
        with Image.open(item) as img:
            return img.size
    except (OSError, ValueError):
        return None


def display_map(values: np.ndarray, item, resize, longest: int) -> np.ndarray:
    """A map on the model's input -> float32 [h, w] over the whole image ``item`` at its
    thumbnail size (the input's own frame when ``item`` is not an image file)."""
    size = image_size(item)
    if size is None:
        size = values.shape[::-1]
        return place(values, size, (0, 0, *size), display_size(size, longest))
    return place(values, size, seen_box(size, resize), display_size(size, longest))
