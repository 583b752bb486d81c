"""Serving the embeddings view's neighbour images to a live widget: the nearest training
images (or validation items) without a stored thumbnail, read from this machine's disk."""

from __future__ import annotations

from pathlib import Path

from ..errors import PetLensError
from ..jpeg import jpeg_bytes
from ..storage import resolve_inside

NEIGHBOUR_IMAGE_SIZE = 128  # longest side, as the stored thumbnails (PetLens(thumb_size))


def neighbour_images(view) -> bool:
    """Whether this kernel can answer ``neighbour_image`` requests for ``view`` (an
    ``EmbeddingsView`` or ``None``): its neighbours' folder is a directory here."""
    root = getattr(view, "neighbour_root", None)
    return root is not None and Path(root).is_dir()


def neighbour_image_request(view, content, *, size: int = NEIGHBOUR_IMAGE_SIZE):
    """Answer ``{kind: 'neighbour_image', index, item?}`` (``index`` into the view's
    ``neighbour_items``; ``item``: its name as the front end knows it, refused when the
    neighbours have changed since) with a JPEG of that image, longest side ``size``."""
    if view is None:
        raise PetLensError("no embeddings shown: there are no neighbours to read")
    items = view.neighbour_items
    index = content.get("index")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(items):
        raise PetLensError(f"no neighbour {index!r}: the view has {len(items)}")
    item = items[index]
    if content.get("item", item) != item:
        raise PetLensError(f"neighbour {index} is now {item!r}, not {content['item']!r}: the "
                           "neighbours have changed")
    what = "training image" if view.neighbour_source == "train" else "validation item"
    root = view.neighbour_root
    if root is None:
        raise PetLensError(f"the run does not say where its {what}s are (recorded by an "
                           "older petlens, or the items are not files)")
    try:
        path = resolve_inside(Path(root), item, what=what)
    except PetLensError:
        raise PetLensError(f"the {what} {item!r} is not a path inside its folder ({root}): "
                           "refused") from None
    if not path.is_file():
        raise PetLensError(f"the {what} {item!r} is not on this machine's disk ({root})")
    try:
        jpeg, (width, height) = jpeg_bytes(path, size)
    except (OSError, ValueError) as e:  # PIL: unreadable, not an image, removed meanwhile
        raise PetLensError(f"the {what} {item!r} cannot be read as an image: {e}") from None
    return {"kind": "neighbour_image", "index": index, "width": width, "height": height}, [jpeg]
