"""Serving larger images of validation items to a live widget."""

from __future__ import annotations

from pathlib import Path

from ..errors import PetLensError
from ..jpeg import jpeg_bytes


def image_request(view, learn, content, *, size: int = 384):
    """Answer ``{kind: 'image', index}`` with a JPEG of the item, longest side ``size``."""
    if learn is None:
        raise PetLensError("the learner is not loaded: only thumbnails are available")
    if view is None:
        raise PetLensError("no validation predictions recorded yet")
    index = content.get("index")
    if not isinstance(index, int) or not 0 <= index < len(view.items):
        raise PetLensError(f"no validation item {index!r}")
    items = getattr(learn.dls.valid, "items", None)
    if items is None or len(items) != len(view.items):
        raise PetLensError("the learner's validation set does not match this run")
    jpeg, (width, height) = jpeg_bytes(Path(items[index]), size)
    return {"kind": "image", "index": index, "width": width, "height": height}, [jpeg]
