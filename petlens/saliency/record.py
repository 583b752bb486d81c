"""Saliency of a run's top losses, computed in the background after each finished fit.

:func:`take_snapshot` copies what the maps need at the fit's end (in the training thread);
:func:`explain_batch` computes one batch of them from that snapshot alone.

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

import copy
from dataclasses import dataclass

import numpy as np
import torch

from .attribute import attribute_batch, available_methods
from .frame import display_map, image_size, seen_box
from .inputs import input_scale, item_loader, plain, valid_item, validation_resize
from .methods import METHODS
from .model import snapshot_model
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


COST_ORDER = ("gradcam", "saliency", "occlusion", "integrated_gradients", "noise_tunnel")
CPU_BATCH = 4  # items per attribution batch on a CPU: progress and cancelling stay responsive


@dataclass
class Snapshot:
    """What the top-loss maps of one fit need, taken from the learner at the fit's end: a
    float32 copy of the model and the items' inputs, so that computing them touches neither
    the learner nor its DataLoaders (which may train again meanwhile)."""

    model: torch.nn.Module
    scale: float  # width of the pixel range after Normalize
    resize: object  # the validation Resize (where the model looked)
    methods: list[str]  # in the order they are computed: cheapest first
    batches: list[tuple[str, str, list[int]]]  # (method, target, item indices)
    inputs: dict[int, torch.Tensor]  # index -> the model's input [c, h, w]
    labels: dict[int, int]  # index -> actual class
    items: dict[int, object]  # index -> the item (an image path)
    ids: dict[int, str]  # index -> item id, as in the predictions
    longest: dict[int, int]  # index -> longest side of its detail image

    @property
    def n_maps(self) -> int:
        return sum(len(indices) for _, _, indices in self.batches)


def take_snapshot(learn, items: np.ndarray, losses: np.ndarray, targets: np.ndarray,
                  decoded: np.ndarray, *, methods, k: int, smallest: int) -> Snapshot:
    """Everything needed to explain the ``k`` highest-loss validation items with each of
    ``methods`` (cheapest first: ``COST_ORDER``): the predicted class of each, and the actual
    class of the misclassified ones, in batches of the validation batch size (``CPU_BATCH``
    on a CPU). Detail images get a longest side of at least ``smallest`` (``detail_longest``).
    """
    order = np.argsort(-losses, kind="stable")[:k].tolist()
    wrong = [i for i in order if targets[i] != decoded[i]]
    bs = learn.dls.valid.bs
    x = torch.cat([plain(b[0]).detach() for b in item_loader(
        learn, [valid_item(learn, i) for i in order], labels=False, bs=bs)])
    if x.device.type == "cpu":
        bs = min(bs, CPU_BATCH)
    methods = sorted(methods, key=COST_ORDER.index)
    resize = copy.copy(validation_resize(learn.dls.valid))
    chosen = {i: valid_item(learn, i) for i in order}
    return Snapshot(
        model=snapshot_model(learn.model), scale=input_scale(learn.dls.valid), resize=resize,
        methods=methods,
        batches=[(m, target, indices[i:i + bs]) for m in methods
                 for target, indices in (("pred", order), ("actual", wrong))
                 for i in range(0, len(indices), bs)],
        inputs=dict(zip(order, x, strict=True)),
        labels={i: int(targets[i]) for i in order}, items=chosen,
        ids={i: str(items[i]) for i in order},
        longest={i: detail_longest(chosen[i], resize, tuple(x.shape[-2:]), smallest)
                 for i in order})


def explain_batch(snapshot: Snapshot, method: str, target: str,
                  indices: list[int]) -> tuple[list[dict], dict]:
    """The rows of ``saliency.npz`` for one batch of ``snapshot`` (maps over the whole image
    at its detail size), and the method's parameters."""
    x = torch.stack([snapshot.inputs[i] for i in indices])
    actual = (torch.tensor([snapshot.labels[i] for i in indices], device=x.device)
              if target == "actual" else None)
    with torch.autocast(device_type=x.device.type, enabled=False), torch.enable_grad():
        result = attribute_batch(METHODS[method], snapshot.model, x, actual, snapshot.scale)
    info = result["info"]
    rows = []
    for j, index in enumerate(indices):
        shown = display_map(result["maps"][j], snapshot.items[index], snapshot.resize,
                            snapshot.longest[index])
        rows.append({
            "items": snapshot.ids[index], "method": method, "target": target,
            "label": int(result["classes"][j]), "map": quantise(shown),
            "n_steps": int(info["n_steps"][j]) if "n_steps" in info else 0,
            "delta": float(info["delta"][j]) if "delta" in info else np.nan,
            "index": index, "input_map": result["maps"][j],  # for the checks; not stored
        })
    return rows, jsonable(info["params"])


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
