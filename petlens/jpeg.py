"""JPEG copies of image files at a bounded size: the recorded thumbnails and the larger
images a live widget asks for."""

from __future__ import annotations

from io import BytesIO

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
