"""Top-loss browser widget."""

from __future__ import annotations

from typing import ClassVar

import traitlets as t

from ..bundles import bundle
from ..errors import PetLensError
from ..views.top_losses_view import SORTS
from ..views.top_losses_view import TopLossesView as View
from .base import optional_int, selection_trait, with_traits
from .images import image_request

TOP_LOSSES_TRAITS = {
    "vocab": lambda: t.List(t.Unicode()),
    "items": lambda: t.List(t.Unicode()),
    "targets": t.Dict, "decoded": t.Dict,  # int32 [items]
    "losses": t.Dict, "prob_actual": t.Dict, "prob_pred": t.Dict,  # float32 [items]
    "thumbs": t.List,                      # [{index, jpeg}]
    "details": t.List,                     # [{index, jpeg}]: the explained items, maps' size
    "selection": selection_trait,
    "filter_actual": optional_int, "filter_predicted": optional_int,
    "sort": lambda: t.Enum(SORTS, View.sort),
    "page": lambda: t.Int(0),
    "page_size": lambda: t.Int(View.page_size),
    "selected_item": optional_int,
    "live": lambda: t.Bool(False),
    "saliency_methods": lambda: t.List(t.Unicode()),
    "saliency": t.List,                    # [{index, method, target, jpeg}]
    "saliency_progress": t.Dict,           # maps still being computed: status, done, total...
    "notice": lambda: t.Unicode(""),       # shown instead of the view when it has no data
    "item_selection": lambda: item_selection_trait(),  # None, or the items picked elsewhere
}


def item_selection_trait():
    """None (no selection), or the indices of the validation items picked in another view
    (the embedding scatter): the top-loss list shows only those."""
    return t.List(t.Int(), default_value=None, allow_none=True)


class TopLossesWidget(with_traits(TOP_LOSSES_TRAITS)):
    """Validation items by loss: filter by class or confusion cell, click for details."""

    _esm = bundle("top_losses.js")
    _requests: ClassVar[dict[str, str]] = {"image": "_image", "saliency": "_saliency"}

    @classmethod
    def from_view(cls, view, *, learn=None, **overrides):
        return super().from_view(live_view(view, learn), learn=learn, **overrides)

    def _image(self, content):
        return image_request(self._view, self._learn, content)

    def _saliency(self, content):
        return saliency_request(self._view, self._learn, content)


def live_view(view, learn):
    """``view`` offering the saliency methods ``learn`` can compute (``view`` if no learner)."""
    if learn is None:
        return view
    from ..saliency import available_methods

    return view.offering(available_methods(learn))


def saliency_request(view, learn, content):
    """Answer ``{kind: 'saliency', index, method, target}`` with a map computed by ``learn``."""
    if learn is None:
        raise PetLensError("the model is not loaded: saliency can only be computed while the "
                           "learner is live in the kernel")
    if view is None:
        raise PetLensError("no validation predictions recorded yet")
    from ..saliency.live import saliency_request as compute

    return compute(view, learn, content)
