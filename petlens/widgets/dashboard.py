"""The dashboard widget: every panel of ``views.dashboard.PANELS`` in one model, linked."""

from __future__ import annotations

from typing import ClassVar

import traitlets as t

from ..bundles import bundle
from ..views.dashboard import PANELS, SHARED_TRAITS, DashboardView
from ..wire import encode_state
from .base import optional_int, selection_trait, with_traits
from .confusion import CONFUSION_TRAITS
from .images import image_request
from .lr_find import LR_FIND_TRAITS
from .per_class import PER_CLASS_TRAITS
from .timeline import TIMELINE_TRAITS
from .top_losses import TOP_LOSSES_TRAITS, live_view, saliency_request

PANEL_TRAITS = {"confusion": CONFUSION_TRAITS, "per_class": PER_CLASS_TRAITS,
                "top_losses": TOP_LOSSES_TRAITS,
                "lr_find": LR_FIND_TRAITS, "timeline": TIMELINE_TRAITS}
_SHARED_TYPES = {"vocab": lambda: t.List(t.Unicode()), "selection": selection_trait,
                 "filter_actual": optional_int, "filter_predicted": optional_int,
                 "live": lambda: t.Bool(False)}
SHARED = {name: _SHARED_TYPES[name] for name in SHARED_TRAITS}
HEADER = {"title": t.Unicode, "summary": t.List, "partial": lambda: t.Bool(False),
          "panels": t.List, "shared_traits": t.List}


def _panel_traits(panel) -> dict:
    """The traits of ``panel`` (KeyError for a panel whose widget traits are not declared:
    a new panel cannot silently go missing)."""
    return {k: v for k, v in PANEL_TRAITS[panel.key].items() if k not in SHARED}


class Dashboard(with_traits(SHARED, HEADER, *(_panel_traits(p) for p in PANELS),
                            prefixes=("", "", *(p.prefix for p in PANELS)))):
    """Every panel of a run, linked: clicking a confusion cell sets ``selection`` and the
    top-loss browser shows that cell's items."""

    _esm = bundle("dashboard.js")
    _requests: ClassVar[dict[str, str]] = {"image": "_image", "saliency": "_saliency"}

    @classmethod
    def from_run(cls, run, *, learn=None):
        view = DashboardView.from_run(run)
        if "top_losses" in view.views:
            view = view.with_view("top_losses", live_view(view.views["top_losses"], learn))
        return cls(view=view, learn=learn, **encode_state(view.state(live=learn is not None)))

    def _image(self, content):
        return image_request(self._view.views.get("top_losses"), self._learn, content)

    def _saliency(self, content):
        return saliency_request(self._view.views.get("top_losses"), self._learn, content)

    def _fallback_png(self) -> bytes | None:
        return self._view.png()
