"""The dashboard: every panel of a run, in one list that everything else follows.

``PANELS`` is the one source of truth for what a whole-run view shows: the dashboard
widget's traits (``widgets/dashboard.py``), its layout and trait scopes in the front end
(sent as the ``panels`` and ``shared_traits`` traits), the offline report and the static
picture. Adding a panel is adding a :class:`Panel` here (docs/ARCHITECTURE.md).

>>> [panel.key for panel in PANELS]
['confusion', 'per_class', 'embeddings', 'top_losses', 'saliency_checks', 'lr_find', 'timeline']
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ._plotting import DPI, FONT, WIDTH, figsize, figure_png, style
from .confusion_view import ConfusionMatrixView
from .embeddings_view import NEIGHBOUR_TRAITS, EmbeddingsView
from .lr_find_view import LrFindView
from .per_class_view import PerClassView
from .saliency_checks_view import SaliencyChecksView
from .summary import preds_notice, run_summary
from .timeline_view import TimelineView
from .top_losses_view import TopLossesView

# Unprefixed traits: the links between the panels (the class names, the selected confusion
# cell, the actual / predicted class filters, whether the learner is live, the validation
# items picked in the embedding scatter: None or a list of item indices, whether the top
# losses list only cleanlab's label issues: the per-class panel's issue counts set it).
SHARED_TRAITS = ("vocab", "selection", "filter_actual", "filter_predicted", "live",
                 "item_selection", "issues_only")
# What the user sets in the front end (filters, sorts, pages, picks, playback): a live
# dashboard's refresh keeps these as they are and replaces the data around them (the
# timeline's cursor follows the data: it moves to the latest iteration).
UI_STATE = ("selection", "filter_actual", "filter_predicted", "order", "normalize",
            "color_scale", "hide_diagonal", "sort", "descending", "page", "page_size",
            "selected_item", "selected_lr", "selected_curve", "show_raw", "playing", "speed",
            "item_selection", "issues_only", "color_by")


@dataclass(frozen=True)
class Panel:
    """One dashboard panel: its view model and where its traits live.

    ``key`` is the view's name in Python and JS (and the name of its own widget bundle);
    the panel's traits are the view's ``state()`` keys under ``prefix`` in the dashboard's
    one model, except ``SHARED_TRAITS``. A panel that ``needs_preds`` shows the reason
    instead (its ``notice`` trait) while the run has no validation predictions. ``deferred``:
    the view's ``from_run`` options that leave out what costs seconds at scale (cleanlab's
    label issues, the UMAP map), for a live dashboard refreshing in the training thread.
    ``after_paint``: the view's traits an offline page may set after its first paint (large
    ones read only on demand).
    """

    key: str
    prefix: str
    heading: str
    hint: str | None
    view: type
    needs_preds: bool = False
    deferred: dict = field(default_factory=dict, hash=False)
    after_paint: tuple = ()

    def wire(self) -> dict:
        """The panel as the front end reads it from the ``panels`` trait."""
        return {"key": self.key, "prefix": self.prefix, "heading": self.heading,
                "hint": self.hint}


PANELS = (
    Panel("confusion", "cm_", "Confusion matrix",
          "Click a cell to list its items in the top losses.", ConfusionMatrixView,
          needs_preds=True, deferred={"label_issues": False}),
    Panel("per_class", "pc_", "Per-class metrics",
          "Click a class for its row in the matrix and its items in the top losses.",
          PerClassView, needs_preds=True, deferred={"label_issues": False}),
    Panel("embeddings", "emb_", "Embeddings",
          "Each dot is a validation item, placed by the model's features: shift-drag to select "
          "(the top losses list them), click a dot for its nearest training images.",
          EmbeddingsView, needs_preds=True, deferred={"compute": False},
          after_paint=NEIGHBOUR_TRAITS),
    Panel("top_losses", "tl_", "Top losses",
          "Click an item for details; arrow keys move, Esc closes.", TopLossesView,
          needs_preds=True, deferred={"label_issues": False}),
    Panel("saliency_checks", "sc_", "Saliency quality",
          "Can the maps be trusted? Medians over the stored maps; hover a cell for what it "
          "means.", SaliencyChecksView),
    Panel("lr_find", "lr_", "Learning-rate finder", None, LrFindView),
    Panel("timeline", "time_", "Training timeline", None, TimelineView),
)


@dataclass
class DashboardView:
    """All panels of one run; ``views`` maps a panel key to its view (absent: no data).

    >>> DashboardView.from_run(run).plot().fig_.axes[0].get_title()
    'Confusion matrix (clustered order)'
    """

    run_id: str
    vocab: list
    summary: list
    partial: bool
    notice: str | None  # why the panels that need predictions are empty
    views: dict

    @classmethod
    def from_run(cls, run, *, deferred: bool = False) -> DashboardView:
        """Every panel of ``run``; ``deferred``: without what each panel defers (its
        ``Panel.deferred`` options: what a live refresh must not compute in the training
        thread)."""
        has_preds = run.preds is not None
        views = {panel.key: panel.view.from_run(run, **(panel.deferred if deferred else {}))
                 for panel in PANELS if has_preds or not panel.needs_preds}
        return cls(run.id, list(run.vocab), run_summary(run), not run.complete,
                   preds_notice(run), views)

    def with_view(self, key: str, view) -> DashboardView:
        """A copy with panel ``key`` showing ``view``."""
        return replace(self, views={**self.views, key: view})

    @staticmethod
    def after_paint() -> tuple[str, ...]:
        """The dashboard traits an offline page sets after its first paint (each panel's
        ``after_paint``, prefixed)."""
        return tuple(panel.prefix + name for panel in PANELS for name in panel.after_paint)

    def state(self, *, live: bool = False) -> dict:
        """Trait values of the dashboard (arrays still numpy): shared, header, panels."""
        state = {"vocab": self.vocab, "selection": None, "filter_actual": None,
                 "filter_predicted": None, "live": live, "item_selection": None,
                 "issues_only": False,
                 "title": f"petlens run {self.run_id}", "summary": self.summary,
                 "partial": self.partial, "panels": [panel.wire() for panel in PANELS],
                 "shared_traits": list(SHARED_TRAITS)}
        for panel in PANELS:
            view = self.views.get(panel.key)
            own = view.state() if view is not None else {}
            state.update({panel.prefix + k: v for k, v in own.items()
                          if k not in SHARED_TRAITS})
            if panel.needs_preds:  # why the panel is empty (its view may say), or ""
                state[panel.prefix + "notice"] = (self.notice or "") if view is None else (
                    own.get("notice") or "")
        return state

    def plot(self, fig=None):
        """Every panel's static picture on one tall figure, one under another in ``PANELS``
        order, each at the height its view asks for (a panel without data says why)."""
        if fig is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=self.figsize(), dpi=DPI, layout="constrained")
        heights = [h for _, h in self._sizes()]
        subfigs = fig.subfigures(len(PANELS), 1, height_ratios=heights, squeeze=False)
        for sub, panel in zip(subfigs.ravel(), PANELS, strict=True):
            ax = sub.add_subplot()
            view = self.views.get(panel.key)
            if view is not None:
                view.plot(ax)
            else:
                ax.text(0.5, 0.5, self.notice or "No data", ha="center", va="center",
                        wrap=True, transform=ax.transAxes, fontsize=FONT)
                style(ax, panel.heading)
                ax.set_axis_off()
        self.fig_ = fig
        return self

    def _sizes(self) -> list[tuple[float, float]]:
        """Each panel's size, in ``PANELS`` order (a panel without data: a short strip),
        its height a whole number of pixels at ``DPI`` (the picture is the size it says)."""
        sizes = [figsize(self.views[p.key]) if p.key in self.views else (WIDTH, 1.5)
                 for p in PANELS]
        return [(w, round(h * DPI) / DPI) for w, h in sizes]

    def figsize(self) -> tuple[float, float]:
        """``WIDTH`` wide, as tall as the panels' heights together."""
        return (WIDTH, sum(h for _, h in self._sizes()))

    def png(self, *, dpi: int = DPI) -> bytes:
        """The static picture as PNG bytes (a widget's fallback without a kernel)."""
        return figure_png(lambda fig: self.plot(fig), figsize=self.figsize(), dpi=dpi)
