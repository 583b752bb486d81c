"""Answering a live widget's ``saliency`` request: one map, computed on demand."""

from __future__ import annotations

from PIL import Image

from ..errors import PetLensError
from .attribute import TARGETS, available_methods, explain
from .frame import display_map
from .inputs import valid_item, validation_resize
from .normalise import quantise

DISPLAY = 128  # longest side of a map when the item has no stored detail image or thumbnail


def saliency_request(view, learn, content):
    """``{kind: 'saliency', index, method, target}`` -> ``{shape: [h, w]}`` and the map's
    h * w uint8 values, over the whole image at the size of its detail image (or thumbnail)."""
    index, method, target = (content.get(k) for k in ("index", "method", "target"))
    if not isinstance(index, int) or not 0 <= index < len(view.items):
        raise PetLensError(f"no validation item {index!r}")
    if method not in available_methods(learn):
        raise PetLensError(f"saliency method {method!r} is not available for this learner")
    if target not in TARGETS:
        raise PetLensError(f"saliency target {target!r}: expected one of {TARGETS}")
    if len(learn.dls.valid_ds.items) != len(view.items):
        raise PetLensError("the learner's validation set does not match this run")
    maps = explain(learn, [index], method, target).maps
    values = quantise(display_map(maps[0], valid_item(learn, index),
                                  validation_resize(learn.dls.valid), _longest(view, index)))
    return {"kind": "saliency", "index": index, "method": method, "target": target,
            "shape": list(values.shape)}, [values.tobytes()]


def _longest(view, index: int) -> int:
    image = view.details.get(index) or view.thumbs.get(index)
    if image is None:
        return DISPLAY
    with Image.open(image) as img:
        return max(img.size)
