"""The dashboard: the four views of a run in one widget, linked."""

from __future__ import annotations

from typing import ClassVar

import traitlets as t

from ..views import ConfusionMatrixView, LrFindView, TimelineView, TopLossesView
from ..views.summary import preds_notice, run_summary
from .base import bundle, selection_trait, with_traits
from .confusion import CONFUSION_TRAITS
from .images import image_request
from .lr_find import LR_FIND_TRAITS
from .timeline import TIMELINE_TRAITS
from .top_losses import TOP_LOSSES_TRAITS, live_view, saliency_request
from .wire import encode_state

SHARED = {"vocab": lambda: t.List(t.Unicode()), "selection": selection_trait,
          "live": lambda: t.Bool(False)}
PANELS = (("cm_", CONFUSION_TRAITS), ("tl_", TOP_LOSSES_TRAITS), ("lr_", LR_FIND_TRAITS),
          ("time_", TIMELINE_TRAITS))
HEADER = {"title": t.Unicode, "summary": t.List, "partial": lambda: t.Bool(False)}


def _unshared(spec: dict) -> dict:
    return {k: v for k, v in spec.items() if k not in SHARED}


def dashboard_views(run) -> dict:
    """The view of each dashboard panel, by trait prefix (no confusion matrix and no top
    losses before the first validation pass)."""
    views = {"lr_": LrFindView.from_run(run), "time_": TimelineView.from_run(run)}
    if run.preds is not None:
        views.update(cm_=ConfusionMatrixView.from_run(run), tl_=TopLossesView.from_run(run))
    return views


def dashboard_state(run, views: dict, *, live: bool = False) -> dict:
    """Trait values of the dashboard (arrays still numpy): shared, header, then panels."""
    state = {"vocab": list(run.vocab), "selection": None, "live": live,
             "title": f"petlens run {run.id}", "summary": run_summary(run),
             "partial": not run.complete}
    for prefix, view in views.items():
        state.update({prefix + k: v for k, v in view.state().items() if k not in SHARED})
    notice = preds_notice(run)
    if notice is not None:  # no confusion matrix, no top losses: say why in their panels
        state.update(cm_notice=notice, tl_notice=notice)
    return state


class Dashboard(with_traits(SHARED, HEADER, *(_unshared(s) for _, s in PANELS),
                            prefixes=("", "", *(p for p, _ in PANELS)))):
    """Confusion matrix, top losses, LR finder and timeline of one run, linked: clicking a
    confusion cell sets ``selection`` and the top-loss browser shows that cell's items."""

    _esm = bundle("dashboard.js")
    _requests: ClassVar[dict[str, str]] = {"image": "_image", "saliency": "_saliency"}

    @classmethod
    def from_run(cls, run, *, learn=None):
        views = dashboard_views(run)
        if "tl_" in views:
            views["tl_"] = live_view(views["tl_"], learn)
        state = dashboard_state(run, views, live=learn is not None)
        widget = cls(view=None, learn=learn, **encode_state(state))
        widget._views = views
        return widget

    def _image(self, content):
        return image_request(self._views["tl_"], self._learn, content)

    def _saliency(self, content):
        return saliency_request(self._views.get("tl_"), self._learn, content)

    def _fallback_png(self) -> bytes | None:
        from io import BytesIO

        from matplotlib.figure import Figure

        fig = Figure(figsize=(14, 10), dpi=60, layout="constrained")
        for ax, view in zip(fig.subplots(2, 2).flat, self._views.values(), strict=False):
            view.plot(ax)
        buf = BytesIO()
        fig.savefig(buf, format="png")
        return buf.getvalue()
