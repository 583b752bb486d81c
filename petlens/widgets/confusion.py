"""Zoomable, clickable confusion matrix widget."""

from __future__ import annotations

import traitlets as t

from .base import bundle, selection_trait, with_traits

CONFUSION_TRAITS = {
    "vocab": lambda: t.List(t.Unicode()),
    "counts": t.Dict,                      # int32 [C, C], rows actual, columns predicted
    "orders": t.Dict,                      # name -> permutation of class indices
    "order": lambda: t.Unicode("clustered"),
    "normalize": lambda: t.Enum(("none", "true", "pred"), "none"),
    "color_scale": lambda: t.Enum(("linear", "log"), "linear"),
    "hide_diagonal": lambda: t.Bool(False),
    "selection": selection_trait,          # [actual, predicted] class indices, or None
    "notice": lambda: t.Unicode(""),       # shown instead of the view when it has no data
}


class ConfusionMatrixWidget(with_traits(CONFUSION_TRAITS)):
    """Confusion matrix: wheel / buttons to zoom, drag to pan, click a cell to select it.

    ``widget.selection`` is the clicked ``[actual, predicted]`` pair (class indices).
    """

    _esm = bundle("confusion.js")
