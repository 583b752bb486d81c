"""Serving the embeddings strip's images to a live widget, read from this machine's disk: the
clicked validation item's (``item_image``) and its nearest training images' (or validation
items', ``neighbour_image``) that have no stored thumbnail."""

from __future__ import annotations

from pathlib import Path

from ..errors import PetLensError
from ..jpeg import jpeg_bytes
from ..storage import resolve_inside

NEIGHBOUR_IMAGE_SIZE = 128  # longest side, as the stored thumbnails (PetLens(thumb_size))


def neighbour_images(view) -> bool:
    """Whether this kernel reads the strip's images (the clicked item's and its neighbours')
    for ``view`` (an ``EmbeddingsView`` or ``None``): its neighbours' folder is a directory
    here. The validation items' folder is checked at each ``item_image`` request (an item
    whose image cannot be read shows why)."""
    root = getattr(view, "neighbour_root", None)
    return root is not None and Path(root).is_dir()


def neighbour_image_request(view, content, *, size: int = NEIGHBOUR_IMAGE_SIZE):
    """Answer ``{kind: 'neighbour_image', index, item?}`` (``index`` into the view's
    ``neighbour_items``; ``item``: its name as the front end knows it, refused when the
    neighbours have changed since) with a JPEG of that image, longest side ``size``."""
    if view is None:
        raise PetLensError("no embeddings shown: there are no neighbours to read")
    what = "training image" if view.neighbour_source == "train" else "validation item"
    return _read_image(view.neighbour_items, view.neighbour_root, content, size,
                       kind="neighbour_image", name="neighbour", what=what)


def item_image_request(view, content, *, size: int = NEIGHBOUR_IMAGE_SIZE):
    """Answer ``{kind: 'item_image', index, item?}`` (``index`` into the view's ``items``,
    the validation items; ``item``: its name as the front end knows it, refused when the
    items have changed since) with a JPEG of that item's image, longest side ``size``."""
    if view is None:
        raise PetLensError("no embeddings shown: there are no items to read")
    return _read_image(view.items, view.item_root, content, size, kind="item_image",
                       name="item", what="validation item")


def _read_image(items: list, root: str | None, content, size: int, *, kind: str, name: str,
                what: str):
    """The answer to a request for ``items[content['index']]``, read inside ``root`` (no
    ``..``, absolute paths or links out of it) as a JPEG: (message, [jpeg])."""
    index = content.get("index")
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(items):
        raise PetLensError(f"no {name} {index!r}: the view has {len(items)}")
    item = items[index]
    if content.get("item", item) != item:
        raise PetLensError(f"{name} {index} is now {item!r}, not {content['item']!r}: the "
                           f"{name}s have changed")
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
    return {"kind": kind, "index": index, "width": width, "height": height}, [jpeg]
