"""Serving larger images of validation items to a live widget."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from ..errors import PetLensError


def image_request(view, learn, content, *, size: int = 384):
    """Answer ``{kind: 'image', index}`` with a JPEG of the item, longest side ``size``."""
    from PIL import Image

    if learn is None:
        raise PetLensError("the learner is not loaded: only thumbnails are available")
    index = content.get("index")
    if not isinstance(index, int) or not 0 <= index < len(view.items):
        raise PetLensError(f"no validation item {index!r}")
    items = getattr(learn.dls.valid, "items", None)
    if items is None or len(items) != len(view.items):
        raise PetLensError("the learner's validation set does not match this run")
    path = Path(items[index])
    with Image.open(path) as img:
        img = img.convert("RGB")
        img.thumbnail((size, size))
        buf = BytesIO()
        img.save(buf, format="JPEG", quality=88)
    return {"kind": "image", "index": index, "width": img.width, "height": img.height}, [
        buf.getvalue()]
