"""Saliency of a run's top losses, precomputed by :class:`~petlens.PetLens` after a fit.

The maps are stored in ``saliency.npz`` (no pickle): one row per (item, method, target),
uint8 maps over the whole image at its detail size (:func:`detail_longest`: the part the
model saw at about its input resolution, longest side at most ``DETAIL_MAX``), padded to a
common size. Every item has a ``pred`` row per method; a misclassified item has an
``actual`` row too (for a correct one the two explain the same class: one row serves both).

=========  ================  ===================================================
array      dtype, shape      holds
=========  ================  ===================================================
items      str [K]           validation item id (as in the predictions)
method     str [K]           ``integrated_gradients``, ``gradcam``, ...
target     str [K]           ``pred`` or ``actual``
label      int32 [K]         the class explained (index into the vocab)
maps       uint8 [K, H, W]   row k is ``maps[k, :shapes[k, 0], :shapes[k, 1]]``
shapes     int32 [K, 2]      (h, w) of each map
n_steps    int32 [K]         Integrated Gradients steps (0: not IG)
delta      float32 [K]       IG convergence delta (NaN: not IG)
=========  ================  ===================================================
"""

from __future__ import annotations

import numpy as np

from .attribute import available_methods, explain
from .frame import display_map, image_size, seen_box
from .inputs import valid_item, validation_resize
from .normalise import quantise

DETAIL_MAX = 384  # longest side of a detail image and its maps, in pixels


def plan(learn, wanted) -> tuple[list[str], str | None]:
    """The methods of ``wanted`` that ``learn`` can run, and why the others cannot."""
    available = available_methods(learn)
    if not available:
        return [], ("saliency needs image inputs and this learner's inputs are not images: "
                    "no saliency is recorded")
    skipped = [m for m in wanted if m not in available]
    note = (f"saliency {', '.join(skipped)} skipped: the model has no convolutional layer"
            if skipped else None)
    return [m for m in wanted if m in available], note


def top_loss_maps(learn, items: np.ndarray, losses: np.ndarray, targets: np.ndarray,
                  decoded: np.ndarray, *, methods, k: int,
                  smallest: int) -> tuple[dict, dict, dict]:
    """Attribute the ``k`` highest-loss validation items with each of ``methods``: the
    predicted class of each, and the actual class of the misclassified ones; batched, with a
    progress bar when the learner shows one.

    Returns the arrays of ``saliency.npz``, the parameters of each method and the longest
    side of each item's detail image (``{index: pixels}``, :func:`detail_longest`, at least
    ``smallest``, the thumbnail size).
    """
    from fastai.callback.progress import ProgressCallback
    from fastprogress.fastprogress import progress_bar

    order = np.argsort(-losses, kind="stable")[:k]
    wrong = order[targets[order] != decoded[order]]
    resize = validation_resize(learn.dls.valid)
    chunk = learn.dls.valid.bs
    jobs = [(m, target, chosen[i:i + chunk]) for m in methods
            for target, chosen in (("pred", order), ("actual", wrong))
            for i in range(0, len(chosen), chunk)]
    if any(isinstance(cb, ProgressCallback) for cb in learn.cbs):
        jobs = progress_bar(jobs, leave=False)
    rows, params, longest = [], {}, {}
    for method, target, chunk_items in jobs:
        result = explain(learn, chunk_items.tolist(), method, target)
        params.setdefault(method, jsonable(result.params))
        for j, index in enumerate(chunk_items.tolist()):
            item = valid_item(learn, index)
            if index not in longest:
                longest[index] = detail_longest(item, resize, result.maps[j].shape, smallest)
            shown = display_map(result.maps[j], item, resize, longest[index])
            rows.append({
                "items": str(items[index]), "method": method, "target": target,
                "label": int(result.classes[j]), "map": quantise(shown),
                "n_steps": 0 if result.n_steps is None else int(result.n_steps[j]),
                "delta": np.nan if result.delta is None else float(result.delta[j]),
            })
    return pack(rows), params, longest


def detail_longest(item, resize, input_shape: tuple[int, int], smallest: int) -> int:
    """Longest side of ``item``'s detail image: large enough that the part the model saw
    (``resize``'s box) has the model's input resolution, at least ``smallest`` and at most
    ``DETAIL_MAX`` (an image is never enlarged: ``display_size``).

    >>> from fastai.vision.augment import Resize
    >>> detail_longest(None, Resize(224), (224, 224), 128)   # not an image file: the input
    224
    """
    size = image_size(item)
    if size is None:
        return int(min(DETAIL_MAX, max(smallest, *input_shape)))
    _, _, width, height = seen_box(size, resize)
    scale = max(input_shape[1] / width, input_shape[0] / height)
    return int(min(DETAIL_MAX, max(smallest, round(max(size) * scale))))


def pack(rows: list[dict]) -> dict[str, np.ndarray]:
    """Rows ``{items, method, target, label, map, n_steps, delta}`` -> the npz arrays."""
    shapes = np.array([r["map"].shape for r in rows], dtype=np.int32).reshape(-1, 2)
    maps = np.zeros((len(rows), *shapes.max(axis=0, initial=1)), dtype=np.uint8)
    for row, (h, w), out in zip(rows, shapes, maps, strict=True):
        out[:h, :w] = row["map"]
    arrays = {key: np.array([r[key] for r in rows], dtype=dtype) for key, dtype in
              (("items", str), ("method", str), ("target", str), ("label", np.int32),
               ("n_steps", np.int32), ("delta", np.float32))}
    return {**arrays, "maps": maps, "shapes": shapes}


def jsonable(value):
    """Parameters as JSON values (tuples become lists; tensors and arrays are described)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return f"<{type(value).__name__}>"
