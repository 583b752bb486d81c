"""Animated unfreezing timeline widget."""

from __future__ import annotations

import traitlets as t

from ..bundles import bundle
from ..views.timeline_view import TimelineView as View
from .base import with_traits

TIMELINE_TRAITS = {
    "layer_groups": t.List,                # [{name, n_params}]
    "phase": t.Dict, "epoch": t.Dict, "loss": t.Dict,   # [iterations]
    "lrs": t.Dict, "moms": t.Dict,         # [iterations x parameter groups]
    "trainable": t.Dict,                   # [iterations x layer groups]
    "phases": t.List, "epochs": t.List, "events": t.List, "epoch_errors": t.List,
    "cursor": lambda: t.Int(0),
    "playing": lambda: t.Bool(False),
    "speed": lambda: t.Float(View.speed),
}


class TimelineWidget(with_traits(TIMELINE_TRAITS)):
    """Layer groups coloured by learning rate, grey while frozen, with play / scrub."""

    _esm = bundle("timeline.js")
