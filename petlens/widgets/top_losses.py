"""Top-loss browser widget."""

from __future__ import annotations

import threading
import weakref
from typing import ClassVar

import traitlets as t

from ..bundles import bundle
from ..errors import PetLensError
from ..views.top_losses_view import FIXES_MODES, SORTS
from ..views.top_losses_view import TopLossesView as View
from .base import optional_int, selection_trait, with_traits
from .images import image_request

TOP_LOSSES_TRAITS = {
    "vocab": lambda: t.List(t.Unicode()),
    "items": lambda: t.List(t.Unicode()),
    "targets": t.Dict, "decoded": t.Dict,  # int32 [items]
    "losses": t.Dict, "prob_actual": t.Dict, "prob_pred": t.Dict,  # float32 [items]
    "thumbs": t.List,                      # [{index, jpeg}]
    "details": t.List,                     # [{index, jpeg}]: the explained items, maps' size
    "selection": selection_trait,
    "filter_actual": optional_int, "filter_predicted": optional_int,
    "sort": lambda: t.Enum(SORTS, View.sort),
    "page": lambda: t.Int(0),
    "page_size": lambda: t.Int(View.page_size),
    "selected_item": optional_int,
    "live": lambda: t.Bool(False),
    "saliency_methods": lambda: t.List(t.Unicode()),
    "saliency": t.List,                    # [{index, method, target, jpeg}]
    "saliency_progress": t.Dict,           # maps still being computed: status, done, total...
    "saliency_checks": t.List,             # trust badge per map: {index, method, target, verdict}
    "notice": lambda: t.Unicode(""),       # shown instead of the view when it has no data
    "item_selection": lambda: item_selection_trait(),  # None, or the items picked elsewhere
    # cleanlab's label issues (petlens.label_issues.cards_state), in item order
    "label_quality": t.Dict, "label_issue": t.Dict,  # float32 [items], uint8 [items]
    "suggested_label": t.Dict,             # int32 [items]
    "label_issues_info": t.Dict,           # available, reason, n_flagged, approximate...
    "issues_only": lambda: t.Bool(View.issues_only),
    # the fix queue: the run's decisions (fixes.json), written through 'fix' requests
    "run_id": lambda: t.Unicode(""),
    "fixes": t.List,                       # [{item, action, label, decided, by}]
    "fixes_mode": lambda: t.Enum(FIXES_MODES, FIXES_MODES[0]),  # 'page': the report's
    "fixes_error": lambda: t.Unicode(""),  # why the stored decisions cannot be read
}


def item_selection_trait():
    """None (no selection), or the indices of the validation items picked in another view
    (the embedding scatter): the top-loss list shows only those."""
    return t.List(t.Int(), default_value=None, allow_none=True)


class TopLossesWidget(with_traits(TOP_LOSSES_TRAITS)):
    """Validation items by loss: filter by class or confusion cell, click for details."""

    _esm = bundle("top_losses.js")
    _requests: ClassVar[dict[str, str]] = {"image": "_image", "saliency": "_saliency",
                                           "fix": "_fix"}

    @classmethod
    def from_view(cls, view, *, learn=None, **overrides):
        widget = super().from_view(live_view(view, learn), learn=learn, **overrides)
        follow_fixes(widget, view, "fixes")
        return widget

    def _image(self, content):
        return image_request(self._view, self._learn, content)

    def _saliency(self, content):
        return saliency_request(self._view, self._learn, content)

    def _fix(self, content):
        answer, buffers = fix_request(self._view, content)
        self.fixes = answer["fixes"]
        return answer, buffers


def live_view(view, learn):
    """``view`` offering the saliency methods ``learn`` can compute (``view`` if no learner)."""
    if learn is None:
        return view
    from ..saliency import available_methods

    return view.offering(available_methods(learn))


def saliency_request(view, learn, content):
    """Answer ``{kind: 'saliency', index, method, target}`` with a map computed by ``learn``."""
    if learn is None:
        raise PetLensError("the model is not loaded: saliency can only be computed while the "
                           "learner is live in the kernel")
    if view is None:
        raise PetLensError("no validation predictions recorded yet")
    from ..saliency.live import saliency_request as compute

    return compute(view, learn, content)


# -- the fix queue ------------------------------------------------------------------------
# Widgets showing one run folder, each with the name of its `fixes` trait: a decision stored
# through one of them sets the trait of every one (in this kernel), so that all show the
# merged queue; other kernels and processes see it when they next store or are refreshed.
_FOLLOWERS: dict[str, weakref.WeakKeyDictionary] = {}
_FOLLOWERS_LOCK = threading.Lock()


def follow_fixes(widget, view, trait: str) -> None:
    """Keep ``widget.<trait>`` equal to the decisions of ``view``'s run folder (none: no
    run folder, nothing to follow)."""
    queue = getattr(view, "fix_queue", None)
    if queue is None:
        return
    with _FOLLOWERS_LOCK:
        for followers in _FOLLOWERS.values():  # a widget follows one run (a refresh moves it)
            followers.pop(widget, None)
        _FOLLOWERS.setdefault(str(queue.path), weakref.WeakKeyDictionary())[widget] = trait


def _announce(path, decisions: list[dict]) -> None:
    with _FOLLOWERS_LOCK:
        followers = list(_FOLLOWERS.get(str(path), {}).items())
    for widget, trait in followers:
        setattr(widget, trait, decisions)


def fix_request(view, content):
    """Answer ``{kind: 'fix', item, action, label}``: the decision on validation item
    ``item`` (its index, or its name) stored in the run's ``fixes.json`` (``action``
    ``clear`` removes it), merged with what others stored; answers with every decision,
    which every widget of that run (in this kernel) then shows."""
    if view is None:
        raise PetLensError("no validation predictions recorded yet: nothing to decide on")
    queue = view.fix_queue
    if queue is None:
        raise PetLensError("decisions cannot be stored: this top-loss browser was not built "
                           "from a run folder (use run.show() or "
                           "TopLossesView.from_run(run).widget())")
    item = content.get("item")
    if isinstance(item, int) and not isinstance(item, bool):
        if not 0 <= item < len(view.items):
            raise PetLensError(f"no validation item {item}")
        item = str(view.items[item])
    if not isinstance(item, str):
        raise PetLensError(f"'item' must be an item name or index, not {item!r}")
    action, label = content.get("action"), content.get("label")
    if action == "clear":
        stored = queue.clear(item, by="widget")
    else:
        if not isinstance(action, str):
            raise PetLensError(f"'action' must be a string, not {action!r}")
        queue.set(item, action, label, by="widget")
        stored = queue.list()
    decisions = [d.to_json() for d in stored]
    _announce(queue.path, decisions)
    return {"fixes": decisions}, []
