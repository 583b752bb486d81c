"""Zoomable, clickable confusion matrix widget."""

from __future__ import annotations

import traitlets as t

from ..bundles import bundle
from ..classification import NORMALIZE
from ..views.confusion_view import COLOR_SCALES
from ..views.confusion_view import ConfusionMatrixView as View
from .base import optional_int, selection_trait, with_traits

CONFUSION_TRAITS = {
    "vocab": lambda: t.List(t.Unicode()),
    "counts": t.Dict,                      # int32 [C, C], rows actual, columns predicted
    "orders": t.Dict,                      # name -> permutation of class indices
    "order": lambda: t.Unicode(View.order),
    "normalize": lambda: t.Enum(NORMALIZE[1:], View.normalize, allow_none=True),  # None: counts
    "color_scale": lambda: t.Enum(COLOR_SCALES, View.color_scale),
    "hide_diagonal": lambda: t.Bool(View.hide_diagonal),
    "min_val": lambda: t.Int(View.min_val, min=1),  # most-confused list: at least this often
    "order_info": t.Dict,                  # order name -> {label, help, groups}
    "selection": selection_trait,          # [actual, predicted] class indices, or None
    "filter_actual": optional_int,         # a class filter set elsewhere (top losses, per
    "filter_predicted": optional_int,      # class): its row / column / cell is highlighted
    "notice": lambda: t.Unicode(""),       # shown instead of the view when it has no data
    "overlapping_pairs": t.List,           # cleanlab's: [{a, b, joint, examples}], a < b
    "label_issues_info": t.Dict,           # available / reason, approximate, top_k, n_pairs
}


class ConfusionMatrixWidget(with_traits(CONFUSION_TRAITS)):
    """Confusion matrix: wheel / buttons to zoom, drag to pan, click a cell to select it.

    ``widget.selection`` is the clicked ``[actual, predicted]`` pair (class indices); a
    click on an overlapping pair (cleanlab) selects its cell with more confusions and marks
    the other direction's cell too.
    """

    _esm = bundle("confusion.js")
