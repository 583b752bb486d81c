"""JPEG copies of image files at a bounded size: the recorded thumbnails and the larger
images a live widget asks for."""

from __future__ import annotations

from io import BytesIO

import numpy as np
from PIL import Image


def jpeg_bytes(source, longest: int, *, quality: int = 85) -> tuple[bytes, tuple[int, int]]:
    """A JPEG of image file ``source`` with its longest side at most ``longest`` pixels,
    and its ``(width, height)``; PIL's errors for unreadable files propagate."""
    with Image.open(source) as img:
        img = img.convert("RGB")
        img.thumbnail((longest, longest))
        buf = BytesIO()
        img.save(buf, format="JPEG", quality=quality)
    return buf.getvalue(), img.size


def array_jpeg(values, *, quality: int = 90) -> bytes:
    """A greyscale JPEG of a uint8 [h, w] array (a saliency map on the wire: a fifth of the
    raw bytes; the views read the values back from its pixels)."""
    buf = BytesIO()
    Image.fromarray(np.asarray(values, dtype=np.uint8)).save(buf, format="JPEG", quality=quality)
    return buf.getvalue()
