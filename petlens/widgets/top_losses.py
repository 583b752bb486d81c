"""Top-loss browser widget."""

from __future__ import annotations

from typing import ClassVar

import traitlets as t

from .base import bundle, optional_int, selection_trait, with_traits
from .images import image_request

TOP_LOSSES_TRAITS = {
    "vocab": lambda: t.List(t.Unicode()),
    "items": lambda: t.List(t.Unicode()),
    "targets": t.Dict, "decoded": t.Dict,  # int32 [items]
    "losses": t.Dict, "prob_actual": t.Dict, "prob_pred": t.Dict,  # float32 [items]
    "thumbs": t.List,                      # [{index, jpeg}]
    "selection": selection_trait,
    "filter_actual": optional_int, "filter_predicted": optional_int,
    "sort": lambda: t.Enum(("loss", "prob_actual"), "loss"),
    "page": lambda: t.Int(0),
    "page_size": lambda: t.Int(24),
    "selected_item": optional_int,
    "live": lambda: t.Bool(False),
    "saliency_methods": lambda: t.List(t.Unicode()),
    "saliency": t.List,
}


class TopLossesWidget(with_traits(TOP_LOSSES_TRAITS)):
    """Validation items by loss: filter by class or confusion cell, click for details."""

    _esm = bundle("top_losses.js")
    _requests: ClassVar[dict[str, str]] = {"image": "_image"}

    def _image(self, content):
        return image_request(self._view, self._learn, content)
