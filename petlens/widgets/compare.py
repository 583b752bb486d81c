"""The compare widget: two runs item by item (the contract: js/docs/compare.md)."""

from __future__ import annotations

import traitlets as t

from ..bundles import bundle
from ..views.compare_view import CHANGE_FILTERS, NORMALIZE
from ..views.compare_view import CompareView as View
from .base import optional_int, selection_trait, with_traits

COMPARE_TRAITS = {
    # data
    "vocab": lambda: t.List(t.Unicode()),    # classes of both runs: A's order, then B's own
    "runs": lambda: t.List(t.Dict()),        # [{key: 'a' | 'b', id, name}]
    "header": lambda: t.List(t.Dict()),      # [{field, a, b, changed}], values as text
    "counts": t.Dict,                        # common, fixed, broken, ..., only_a, only_b
    "notices": lambda: t.List(t.Unicode()),  # what is compared and what is not
    "notice": lambda: t.Unicode(""),         # nothing to compare: shown instead of the views
    "counts_a": t.Dict, "counts_b": t.Dict,  # [C, C] confusions of the common items
    "orders": t.Dict,                        # name -> int32 [C]
    "order_info": t.Dict,                    # name -> {label, help, groups}
    "error_a": t.Dict, "error_b": t.Dict,    # float32 [C], NaN where undefined
    "precision_a": t.Dict, "precision_b": t.Dict,
    "recall_a": t.Dict, "recall_b": t.Dict,
    "support_a": t.Dict, "support_b": t.Dict,  # int32 [C]
    "items": lambda: t.List(t.Unicode()),    # the common items (B's ids)
    "actual_a": t.Dict, "actual_b": t.Dict, "pred_a": t.Dict, "pred_b": t.Dict,  # int32
    "loss_a": t.Dict, "loss_b": t.Dict,      # float32 [items]
    "change": t.Dict,                        # uint8 [items], codes of change_names
    "change_names": lambda: t.List(t.Unicode()),
    "thumbs": t.List,                        # [{index, jpeg}]
    "saliency": t.List,                      # [{index, run, method, target, jpeg}]
    "lr_finds": t.List,                      # [{run, lrs, losses, valley}]
    "timelines": t.List,                     # [{run, x, loss, lr, phase_starts}]
    # what the user sets (defaults: the view's fields)
    "selection": selection_trait,            # [actual, predicted] cell, or None
    "selected_class": optional_int,          # a per-class row, or None
    "change_filter": lambda: t.Enum(CHANGE_FILTERS, View.change_filter),
    "order": lambda: t.Unicode(View.order),
    "normalize": lambda: t.Enum(NORMALIZE[1:], View.normalize, allow_none=True),
    "page": lambda: t.Int(View.page, min=0),
    "page_size": lambda: t.Int(View.page_size, min=1),
    "selected_item": optional_int,
}


class CompareWidget(with_traits(COMPARE_TRAITS)):
    """Two runs compared: the difference matrix, per-class changes and an item browser
    filtered by a cell, a class or a change category; lr_find curves and both timelines.
    Without a kernel its static picture (``CompareView.plot``) shows instead."""

    _esm = bundle("compare.js")

    @classmethod
    def from_comparison(cls, cmp, **options):
        """The widget of a :class:`petlens.compare.Comparison`; ``options``: the view's UI
        fields."""
        return cls.from_view(View.from_comparison(cmp, **options))

    def _fallback_png(self) -> bytes | None:
        return None if self._view is None else self._view.png()
