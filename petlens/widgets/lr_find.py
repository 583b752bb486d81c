"""Learning-rate finder explorer widget."""

from __future__ import annotations

import traitlets as t

from ..bundles import bundle
from ..views.lr_find_view import LrFindView as View
from .base import with_traits

LR_FIND_TRAITS = {
    "curves": t.List,                      # one dict per lr_find call (arrays inside)
    "explanations": t.Dict,                # suggestion name -> one-line explanation
    "selected_lr": lambda: t.Float(None, allow_none=True),
    "selected_curve": lambda: t.Int(0),
    "show_raw": lambda: t.Bool(View.show_raw),
    "epochs_hint": lambda: t.Int(View.epochs_hint),
    "slice_ratio": lambda: t.Int(View.slice_ratio),
}


class LrFindWidget(with_traits(LR_FIND_TRAITS)):
    """Every ``lr_find`` of the run on a log axis; click to pick ``widget.selected_lr``."""

    _esm = bundle("lr_find.js")
