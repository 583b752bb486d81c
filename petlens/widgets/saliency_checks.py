"""Saliency-quality widget: the trust checks of a run's saliency maps, per method."""

from __future__ import annotations

import traitlets as t

from ..bundles import bundle
from .base import with_traits

SALIENCY_CHECKS_TRAITS = {
    "status": lambda: t.Unicode("none"),  # none / off / pending / complete / cancelled / failed
    "message": lambda: t.Unicode(""),     # one line on the state ("" when complete)
    "methods": t.List,    # per method: name, state, verdict(s), reasons, medians
    "stages": t.List,     # randomisation stages: head, then body groups from the top
    "checks": t.List,     # per check: key, name, meaning (one line)
    "thresholds": t.Dict,
    "done": lambda: t.Int(0), "total": lambda: t.Int(0),  # maps checked of those planned
    "has_masks": lambda: t.Bool(False),
}


class SaliencyChecksWidget(with_traits(SALIENCY_CHECKS_TRAITS)):
    """Per saliency method: does its map change when the model is randomised, does it order
    pixels better than chance (deletion / insertion), does it fall on the object (masks)."""

    _esm = bundle("saliency_checks.js")


def checks_progress(update: dict) -> str | None:
    """The panel's line for a live ``saliency`` progress message while checks run, else None.

    >>> checks_progress({"checking": True, "method": "gradcam", "checks_done": 4, "total": 16})
    'Checking the gradcam maps in the background (4 of 16 maps checked)…'
    """
    if not update.get("checking") or update.get("checks_done") is None:
        return None
    return (f"Checking the {update.get('method')} maps in the background "
            f"({update['checks_done']} of {update.get('total')} maps checked)…")
