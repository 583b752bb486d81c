"""The dashboard widget: every panel of ``views.dashboard.PANELS`` in one model, linked."""

from __future__ import annotations

import threading
from typing import ClassVar

import traitlets as t

from ..bundles import bundle
from ..run import load_run
from ..views.dashboard import PANELS, SHARED_TRAITS, UI_STATE, DashboardView
from ..views.timeline_view import iteration_arrays
from ..wire import encode_state, message_arrays
from .base import optional_int, selection_trait, with_traits
from .confusion import CONFUSION_TRAITS
from .embeddings import EMBEDDINGS_TRAITS
from .images import image_request
from .lr_find import LR_FIND_TRAITS
from .neighbour_images import item_image_request, neighbour_image_request, neighbour_images
from .per_class import PER_CLASS_TRAITS
from .saliency_checks import SALIENCY_CHECKS_TRAITS, checks_progress
from .timeline import TIMELINE_TRAITS
from .top_losses import (
    TOP_LOSSES_TRAITS,
    fix_request,
    follow_fixes,
    item_selection_trait,
    live_view,
    saliency_request,
)

PANEL_TRAITS = {"confusion": CONFUSION_TRAITS, "per_class": PER_CLASS_TRAITS,
                "embeddings": EMBEDDINGS_TRAITS,
                "top_losses": TOP_LOSSES_TRAITS, "saliency_checks": SALIENCY_CHECKS_TRAITS,
                "lr_find": LR_FIND_TRAITS, "timeline": TIMELINE_TRAITS}
_SHARED_TYPES = {"vocab": lambda: t.List(t.Unicode()), "selection": selection_trait,
                 "filter_actual": optional_int, "filter_predicted": optional_int,
                 "live": lambda: t.Bool(False), "item_selection": item_selection_trait,
                 "issues_only": lambda: t.Bool(False)}
SHARED = {name: _SHARED_TYPES[name] for name in SHARED_TRAITS}
HEADER = {"title": t.Unicode, "summary": t.List, "partial": lambda: t.Bool(False),
          "panels": t.List, "shared_traits": t.List,
          "revision": lambda: t.Int(0),  # +1 with every live update applied
          "progress": t.Dict}  # while training: status, phase, epoch, batch, elapsed, eta
PREFIX = {panel.key: panel.prefix for panel in PANELS}
WAITING = [["Status", "waiting for lr_find or a fit of this learner: the dashboard fills in "
                      "as it trains"]]


def _kernel_state(view: DashboardView, *, live: bool) -> dict:
    """The traits of ``view`` (encoded), with what only this kernel can tell: whether it
    reads the embeddings strip's images (the clicked item's and its neighbours') from disk
    (the report's state says no)."""
    state = encode_state(view.state(live=live))
    state[PREFIX["embeddings"] + "neighbour_images"] = neighbour_images(
        view.views.get("embeddings"))
    return state


def _panel_traits(panel) -> dict:
    """The traits of ``panel`` (KeyError for a panel whose widget traits are not declared:
    a new panel cannot silently go missing)."""
    return {k: v for k, v in PANEL_TRAITS[panel.key].items() if k not in SHARED}


class Dashboard(with_traits(SHARED, HEADER, *(_panel_traits(p) for p in PANELS),
                            prefixes=("", "", *(p.prefix for p in PANELS)))):
    """Every panel of a run, linked: clicking a confusion cell sets ``selection`` and the
    top-loss browser shows that cell's items."""

    _esm = bundle("dashboard.js")
    _requests: ClassVar[dict[str, str]] = {"image": "_image", "saliency": "_saliency",
                                           "fix": "_fix", "neighbour_image": "_neighbour_image",
                                           "item_image": "_item_image"}

    @classmethod
    def from_run(cls, run, *, learn=None):
        view = DashboardView.from_run(run)
        if "top_losses" in view.views:
            view = view.with_view("top_losses", live_view(view.views["top_losses"], learn))
        widget = cls(view=view, learn=learn, **_kernel_state(view, live=learn is not None))
        follow_fixes(widget, view.views.get("top_losses"), PREFIX["top_losses"] + "fixes")
        return widget

    @classmethod
    def from_lens(cls, lens):
        """The dashboard of ``lens``'s run, kept up to date while its learner trains
        (``PetLens.show()``); before any ``lr_find`` or fit it waits for the first one."""
        if lens.path is None:
            widget = cls(view=None, learn=lens.learn, title="petlens: waiting for training",
                         summary=WAITING, panels=[], shared_traits=list(SHARED_TRAITS),
                         live=lens.learn is not None)
            widget._live_from(None, 0)
        else:
            run = lens.run
            widget = cls.from_run(run, learn=lens.learn)
            widget._live_from(run.path, len(run.timeline))
        lens.subscribe(widget._on_live)
        return widget

    # -- live updates (petlens.recorders.live) --------------------------------------------
    def _live_from(self, path, n_iterations: int) -> None:
        self._path, self._n_iterations = path, n_iterations
        self._lr_curves = list(getattr(self, PREFIX["lr_find"] + "curves"))
        self._live_lock = threading.Lock()  # updates come from training and saliency threads
        self._saves = 0  # saves shown: a background view of an older one is dropped
        self._settled = threading.Event()
        self._settled.set()

    def _on_live(self, update: dict) -> bool:
        if self.comm is None:  # closed: no more updates
            return False
        with self._live_lock, self.hold_sync():
            if update["kind"] == "timeline":
                self._append_iterations(update)
            elif update["kind"] == "lr_find":
                self._grow_lr_find(update)
            elif update["kind"] == "saliency":
                self._saliency_progress(update)
            elif update["kind"] == "saved":
                run = load_run(update["path"])
                self._refresh(run, DashboardView.from_run(run, deferred=True))
                self._settle(run)
            self.revision += 1
        return True

    def _settle(self, run) -> None:
        """Once a fit has ended, what the panels deferred (cleanlab's label issues, the
        embedding map: seconds at scale) is computed in a background thread, never in the
        training loop's, and shown when ready, unless a newer save came first."""
        self._saves += 1
        if not run.complete:  # a fit or an lr_find is under way
            return
        saves = self._saves
        self._settled.clear()

        def settle():
            try:
                view = DashboardView.from_run(run)
                with self._live_lock, self.hold_sync():
                    if saves == self._saves and self.comm is not None:
                        self._refresh(run, view, progress=False)
                        self.revision += 1
            finally:
                if saves == self._saves:
                    self._settled.set()

        threading.Thread(target=settle, name="petlens-dashboard-settle", daemon=True).start()

    def wait_until_settled(self, timeout: float | None = None) -> bool:
        """Wait until the dashboard shows everything of the latest save, the parts computed
        after a fit (label issues, the embedding map) included; False on ``timeout``.

        >>> Dashboard.from_run(run).wait_until_settled()  # not live: nothing pending
        True
        """
        settled = getattr(self, "_settled", None)
        return settled is None or settled.wait(timeout)

    def _saliency_progress(self, update: dict) -> None:
        """The background maps of the shown fit are at ``done`` / ``total``: the top-loss
        panel says so where a map is awaited (its maps come with the next save)."""
        name = PREFIX["top_losses"] + "saliency_progress"
        current = getattr(self, name)
        if current.get("phase") == update["phase"]:
            setattr(self, name, {**current, "done": update["done"], "total": update["total"],
                                 "method": update["method"]})
        message = checks_progress(update)  # the saliency-quality panel's line, while checking
        if message is not None and self.sc_status == "pending":
            self.sc_message = message

    def _append_iterations(self, update: dict) -> None:
        """New timeline iterations go to the front end as a binary delta, never the whole
        history again (it keeps them until the fit ends and the run on disk is shown)."""
        self.progress = update["progress"]
        if update["end"] <= self._n_iterations:
            return  # nothing new for this view (or a new run: its first save brings it)
        new = update["since"](self._n_iterations)
        arrays, buffers = message_arrays(iteration_arrays(new))
        self.send({"type": "petlens:append", "view": PREFIX["timeline"],
                   "start": self._n_iterations, "arrays": arrays}, buffers)
        self._n_iterations += len(new["loss"])

    def _grow_lr_find(self, update: dict) -> None:
        running = {"label": f"lr_find #{len(self._lr_curves) + 1} (running)", "iter": None,
                   "frozen_idx": update.get("frozen_idx"), "lrs": update["lrs"],
                   "losses": update["losses"], "raw_losses": None, "suggestions": {},
                   "points": {}, "running": True}
        setattr(self, PREFIX["lr_find"] + "curves", [*self._lr_curves, encode_state(running)])
        self.progress = {"status": "lr_find", "batch": len(update["lrs"])}

    def _refresh(self, run, view: DashboardView, *, progress: bool = True) -> None:
        """``view`` of the run as saved: every panel's data again, the user's choices kept.
        While a fit runs the timeline's iterations keep coming as deltas; once it ends they
        are set from the run, so that the widget shows exactly what ``run.show()`` shows.
        ``progress``: set the header's progress from the run too (not from the background,
        which must not turn a newer progress back)."""
        if "top_losses" in view.views:
            view = view.with_view("top_losses",
                                  live_view(view.views["top_losses"], self._learn))
        status = run.phases[-1]["status"] if run.phases else None
        keep = {name for name in UI_STATE if name in SHARED_TRAITS}
        keep |= {panel.prefix + name for panel in PANELS for name in UI_STATE}
        if status == "running" and run.path == self._path:  # the front end follows the end
            keep |= {PREFIX["timeline"] + name for name in (*iteration_arrays(run.timeline),
                                                             "cursor")}
        else:
            self._n_iterations = len(run.timeline)
        state = _kernel_state(view, live=self._learn is not None)
        for name, value in state.items():
            if name not in keep and self.has_trait(name):
                setattr(self, name, value)
        self._view, self._path = view, run.path
        follow_fixes(self, view.views.get("top_losses"), PREFIX["top_losses"] + "fixes")
        self._lr_curves = list(state.get(PREFIX["lr_find"] + "curves", []))
        if not progress:
            return
        if status == "running":  # its first save starts afresh, the others keep the counts
            self.progress = {**self.progress, "status": status} if self.progress.get(
                "status") == "running" else {"status": status}
        elif not run.complete and status in (None, "finished"):  # an lr_find has started
            self.progress = {"status": "lr_find", "batch": 0}
        else:
            self.progress = {"status": status} if status else {}

    # -- requests ---------------------------------------------------------------------
    def _image(self, content):
        return image_request(self._top_losses(), self._learn, content)

    def _saliency(self, content):
        return saliency_request(self._top_losses(), self._learn, content)

    def _fix(self, content):
        answer, buffers = fix_request(self._top_losses(), content)
        setattr(self, PREFIX["top_losses"] + "fixes", answer["fixes"])
        return answer, buffers

    def _neighbour_image(self, content):
        return neighbour_image_request(self._embeddings(), content)

    def _item_image(self, content):
        return item_image_request(self._embeddings(), content)

    def _top_losses(self):
        return None if self._view is None else self._view.views.get("top_losses")

    def _embeddings(self):
        return None if self._view is None else self._view.views.get("embeddings")

    def _fallback_png(self) -> bytes | None:
        return None if self._view is None else self._view.png()
