"""Embeddings widget: every validation item on one canvas, linked to the other views."""

from __future__ import annotations

from typing import ClassVar

import traitlets as t

from ..bundles import bundle
from ..views.embeddings_view import COLOR_BY
from ..views.embeddings_view import EmbeddingsView as View
from .base import optional_int, selection_trait, with_traits
from .neighbour_images import item_image_request, neighbour_image_request, neighbour_images
from .top_losses import item_selection_trait

EMBEDDINGS_TRAITS = {
    "vocab": lambda: t.List(t.Unicode()),
    "xy": t.Dict,                          # float32 [items x 2] (empty [0, 2]: no map)
    "projection_info": t.Dict,             # method, pca_dims, n_neighbors, min_dist, seed...
    "items": lambda: t.List(t.Unicode()),
    "targets": t.Dict, "decoded": t.Dict,  # int16 (int32 from 32,768 classes) [items]
    "losses": t.Dict,                      # float32 [items]
    "label_quality": t.Dict,               # float16 [items], or empty: no label issues
    "thumbs": t.List,                      # [{index, jpeg}]
    "neighbour_index": t.Dict,             # int16/32 [items x k] into neighbour_items, -1: none
    "neighbour_distance": t.Dict,          # float16 [items x k], cosine distance
    "neighbour_items": lambda: t.List(t.Unicode()),
    "neighbour_labels": t.Dict,            # int16/32 [len(neighbour_items)]: class in vocab
    "neighbour_source": lambda: t.Enum(("train", "valid"), "train"),
    "neighbour_thumbs": t.List,            # [{index (into neighbour_items), jpeg}]
    # the kernel reads the strip's images without a stored thumbnail from this machine's
    # disk, the clicked item's and its neighbours' ('item_image', 'neighbour_image'): live only
    "neighbour_images": lambda: t.Bool(False),
    "notice": lambda: t.Unicode(""),       # shown instead of the view when it has no data
    "color_by": lambda: t.Enum(COLOR_BY, View.color_by),
    "selected_item": optional_int,
    "selection": selection_trait,
    "filter_actual": optional_int, "filter_predicted": optional_int,
    "item_selection": item_selection_trait,
}


class EmbeddingsWidget(with_traits(EMBEDDINGS_TRAITS)):
    """The validation items on a 2-D map of their features: colour by class, correctness,
    loss or label quality; box or lasso select (``item_selection``); click an item for its
    nearest training images."""

    _esm = bundle("embeddings.js")
    _requests: ClassVar[dict[str, str]] = {"neighbour_image": "_neighbour_image",
                                           "item_image": "_item_image"}

    @classmethod
    def from_view(cls, view, *, learn=None, **overrides):
        return super().from_view(view, learn=learn, **{
            "neighbour_images": neighbour_images(view), **overrides})

    def _neighbour_image(self, content):
        return neighbour_image_request(self._view, content)

    def _item_image(self, content):
        return item_image_request(self._view, content)
