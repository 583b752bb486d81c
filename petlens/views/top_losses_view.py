"""The top-loss browser's data: every validation item with its loss and probabilities."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import PetLensError
from ..jpeg import array_jpeg
from ..label_issues import cards_state
from ._label_issues import NOT_COMPUTED, label_issues_of, unavailable
from ._plotting import FONT, FONT_FLOOR, WIDTH, axes, style
from .saliency_checks_view import with_saliency_checks

# Largest loss first; mistakes by highest p(predicted) first, then the correct items; lowest
# label quality (cleanlab) first. (Lowest p(actual) first is no sort of its own: with
# cross-entropy, loss = -log p(actual), the same order.)
SORTS = ("loss", "confident_mistakes", "label_quality")
# Where the browser's fix-queue decisions go: the kernel writes them to the run's fixes.json
# (a widget), or the page keeps them and exports them as files (the offline report).
FIXES_MODES = ("kernel", "page")
LABEL_TAG = "label?"  # the static picture's mark of a possible label issue


@dataclass
class TopLossesView:
    """Validation items of a run ranked by loss, scikit-learn Display style."""

    vocab: list
    items: np.ndarray
    targets: np.ndarray
    decoded: np.ndarray
    losses: np.ndarray
    prob_actual: np.ndarray
    prob_pred: np.ndarray
    thumbs: dict  # item index -> thumbnail path
    saliency_methods: list = field(default_factory=list)  # methods offered, stored first
    saliency: list = field(default_factory=list)  # stored maps: [{index, method, target, map}]
    details: dict = field(default_factory=dict)  # item index -> detail image path (maps' size)
    saliency_progress: dict = field(default_factory=dict)  # maps not all stored (see state())
    saliency_checks: list = field(default_factory=list)  # trust badges: saliency_checks_view
    # cleanlab's label issues (petlens.label_issues.cards_state), in item order; None: none
    label_quality: np.ndarray | None = None  # float32 [items], 0..1, low = suspicious
    label_issue: np.ndarray | None = None  # bool [items]
    suggested_label: np.ndarray | None = None  # int32 [items]
    label_issues_info: dict = field(default_factory=lambda: {
        "available": False, "reason": "label issues were not computed for this view"})
    run_id: str = ""
    fixes: list = field(default_factory=list)  # the run's decisions: [{item, action, label...}]
    fix_queue: object = field(default=None, repr=False, compare=False)  # run.fixes, or None
    fixes_error: str = ""  # why the stored decisions cannot be read (fixes.json refused)
    sort: str = "loss"  # or 'confident_mistakes', 'label_quality'
    page_size: int = 24
    issues_only: bool = False  # list only the items cleanlab flags

    @classmethod
    def from_run(cls, run, *, label_issues: bool = True, **options):
        """Every validation item of ``run``'s latest predictions, with cleanlab's label issues
        (``run.label_issues``; not with ``label_issues=False``) and the run's fix queue
        (``run.fixes``); ``options``: ``sort``, ``page_size``, ``issues_only``."""
        preds = run._require_preds()
        thumbs = {}
        for index, item in enumerate(preds.items):
            path = run.thumbnail(str(item))
            if path is not None:
                thumbs[index] = path
        position = {str(item): i for i, item in enumerate(preds.items)}
        saliency = [{"index": position[s.item], "method": s.method,
                     "target": s.target, "map": s.map}
                    for s in run.saliency if s.item in position]
        details = {position[item]: path for item, path in run.detail_images.items()
                   if item in position}
        view = cls(list(run.vocab), preds.items, preds.targets, preds.decoded, preds.losses,
                   preds.prob_actual(), preds.prob_pred(), thumbs,
                   saliency=saliency, details=details, **options)
        info = run.saliency_info  # offline, what is not stored shows disabled, saying why
        if info and info.get("status", "complete") != "complete":
            view.saliency_progress = {
                "status": info["status"], "phase": info["phase"], "done": info["done"],
                "total": info["total"], "methods": info["order"], "method": None,
                "indices": [int(i) for i in view.top(info["top_k"])]}
        view = (with_label_issues(view, run) if label_issues else
                replace(view, label_issues_info=unavailable(NOT_COMPUTED)))
        view = with_fix_queue(view, run)
        view = with_saliency_checks(view, run)
        return view.offering(info["available"] if info else [])

    def flagged(self) -> np.ndarray:
        """Whether cleanlab flags each item as a possible label issue (all False without)."""
        if self.label_issue is None:
            return np.zeros(len(self.losses), bool)
        return np.asarray(self.label_issue, bool)

    def decisions(self) -> list[dict]:
        """The fix queue as the front end reads it: ``{item, action, label, decided, by}``."""
        return [dict(d) for d in self.fixes]

    def offering(self, methods) -> TopLossesView:
        """A copy offering saliency ``methods`` (those with stored maps first)."""
        stored = {s["method"] for s in self.saliency}
        ordered = [m for m in methods if m in stored] + [m for m in methods if m not in stored]
        return replace(self, saliency_methods=ordered)

    def top(self, k: int = 9) -> np.ndarray:
        """Indices of the ``k`` largest losses (ties in item order)."""
        return np.argsort(-self.losses, kind="stable")[:k]

    def keep_thumbs(self, n: int) -> TopLossesView:
        """A copy keeping only the thumbnails (and stored saliency maps) of the ``n``
        highest-loss items that have a thumbnail."""
        ranked = [int(i) for i in self.top(len(self.losses)) if int(i) in self.thumbs][:n]
        return replace(self, thumbs={i: self.thumbs[i] for i in sorted(ranked)},
                       saliency=[s for s in self.saliency if s["index"] in ranked])

    def keep_details(self, n: int) -> TopLossesView:
        """A copy keeping only the detail images of the ``n`` highest-loss items that have
        one (the others show their thumbnail under the map)."""
        ranked = [int(i) for i in self.top(len(self.losses)) if int(i) in self.details][:n]
        return replace(self, details={i: self.details[i] for i in sorted(ranked)})

    def caption(self, index: int) -> str:
        """fastai's top-loss caption: predicted / actual / loss / probability of the
        prediction (``plot_top_losses`` shows the largest probability)."""
        return (f"{self.vocab[self.decoded[index]]} / {self.vocab[self.targets[index]]}\n"
                f"{self.losses[index]:.2f} / {self.prob_pred[index]:.2f}")

    def state(self) -> dict:
        """Trait values of the top-loss widget (thumbnails, detail images and stored maps as
        JPEG bytes)."""
        return {
            "vocab": self.vocab, "items": [str(i) for i in self.items],
            "targets": self.targets.astype(np.int32), "decoded": self.decoded.astype(np.int32),
            "losses": self.losses.astype(np.float32),
            "prob_actual": self.prob_actual.astype(np.float32),
            "prob_pred": self.prob_pred.astype(np.float32),
            "thumbs": [{"index": int(i), "jpeg": path.read_bytes()}
                       for i, path in sorted(self.thumbs.items())],
            "details": [{"index": int(i), "jpeg": path.read_bytes()}
                        for i, path in sorted(self.details.items())],
            "selection": None, "filter_actual": None, "filter_predicted": None,
            "item_selection": None, "issues_only": bool(self.issues_only),
            "sort": self.sort, "page": 0, "page_size": self.page_size, "selected_item": None,
            "live": False, "saliency_methods": list(self.saliency_methods),
            "saliency": [{"index": s["index"], "method": s["method"], "target": s["target"],
                          "jpeg": array_jpeg(s["map"])} for s in self.saliency],
            # maps of the top losses still being computed (or cancelled, failed): status,
            # phase, done / total maps, methods in order, the one under way, item indices
            "saliency_progress": dict(self.saliency_progress),
            "saliency_checks": list(self.saliency_checks),  # per map: index, method, verdict...
            **self._label_state(),
            "run_id": self.run_id, "fixes": self.decisions(), "fixes_mode": FIXES_MODES[0],
            "fixes_error": self.fixes_error,
        }

    def _label_state(self) -> dict:
        """cleanlab's per-item numbers (empty arrays and the reason when not available)."""
        if self.label_quality is None:
            return {"label_quality": np.zeros(0, np.float32), "label_issue": np.zeros(0, bool),
                    "suggested_label": np.zeros(0, np.int32),
                    "label_issues_info": dict(self.label_issues_info)}
        return {"label_quality": np.asarray(self.label_quality, np.float32),
                "label_issue": self.flagged(),
                "suggested_label": np.asarray(self.suggested_label, np.int32),
                "label_issues_info": dict(self.label_issues_info)}

    def figsize(self, k: int = 8, columns: int = 4) -> tuple[float, float]:
        """The picture's size: ``k`` tiles in rows of ``columns``, each under its caption."""
        rows = max(1, -(-min(k, len(self.losses)) // columns))
        return (WIDTH, 0.5 + rows * (WIDTH / columns + 0.55))

    def plot(self, ax=None, *, k: int = 8, columns: int = 4):
        """The ``k`` top losses as a grid of thumbnails, each titled like fastai's
        ``plot_top_losses`` (predicted, actual, loss / probability of the prediction);
        ``ax`` (from a grid of subplots) is divided into the tiles, ``self.tiles_`` holds
        their axes."""
        from PIL import Image

        if k < 1 or columns < 1:
            raise ValueError(f"k={k}, columns={columns}: both must be at least 1")
        ax = axes(ax, figsize=self.figsize(k, columns))
        top = [int(i) for i in self.top(k)]
        spec = ax.get_subplotspec()
        if spec is None:
            raise ValueError("plot(ax): ax must come from a grid of subplots "
                             "(fig.add_subplot, plt.subplots)")
        columns = min(columns, max(len(top), 1))
        rows = -(-len(top) // columns)
        # ax shrinks to a header row holding the title; the tiles fill the rows under it
        outer = spec.subgridspec(1 + rows, 1, height_ratios=[0.01] + [1] * rows)
        ax.set_subplotspec(outer[0])
        ax.set_axis_off()
        flagged = self.flagged()
        title = "Top losses: predicted / actual / loss / probability of the prediction"
        if flagged[top].any():
            title += f"\n({LABEL_TAG}: cleanlab flags a possible label issue)"
        style(ax, title)
        self.ax_, self.tiles_ = ax, []
        if not top:
            ax.text(0.5, 0.5, "No validation items", ha="center", transform=ax.transAxes,
                    fontsize=FONT)
            return self
        grid = outer[1:].subgridspec(rows, columns)
        limit = int(WIDTH / columns * 72 / (0.6 * FONT_FLOOR))  # characters a title holds
        for n, index in enumerate(top):
            tile = ax.figure.add_subplot(grid[n // columns, n % columns])
            path = self.thumbs.get(index)
            if path is not None:
                with Image.open(path) as img:
                    tile.imshow(np.asarray(img.convert("RGB")))
            else:
                tile.text(0.5, 0.5, "no thumbnail", ha="center", va="center",
                          fontsize=FONT_FLOOR, color="0.4", transform=tile.transAxes)
            tile.set_xticks([])
            tile.set_yticks([])
            tile.set_title(self.tile_title(index, limit), fontsize=FONT_FLOOR,
                           parse_math=False)  # class names are literal text, never TeX
            self.tiles_.append(tile)
        return self

    def tile_title(self, index: int, limit: int = 40) -> str:
        """Predicted and actual class (each cut to ``limit`` characters), then loss /
        probability of the prediction (as fastai's), on three lines; ``label?`` before the
        numbers of an item cleanlab flags as a possible label issue."""
        def cut(name: str) -> str:
            return name if len(name) <= limit else name[:limit - 1] + "…"

        tag = f"{LABEL_TAG} " if self.flagged()[index] else ""
        return (f"{cut(self.vocab[self.decoded[index]])}\n"
                f"{cut(self.vocab[self.targets[index]])}\n"
                f"{tag}{self.losses[index]:.2f} / {self.prob_pred[index]:.2f}")

    def widget(self, **kwargs):
        from ..widgets.top_losses import TopLossesWidget  # sugar pointing up: lazy

        return TopLossesWidget.from_view(self, **kwargs)


def with_label_issues(view: TopLossesView, run) -> TopLossesView:
    """``view`` with cleanlab's label issues of ``run`` (``run.label_issues``, cached, as the
    per-class and confusion panels read them); where cleanlab cannot run (one class, no items,
    cleanlab failing) the reason, in ``label_issues_info``."""
    issues, info = label_issues_of(run)
    if issues is None:
        return replace(view, label_issues_info=info)
    if len(issues.scores) != len(view.losses):
        return replace(view, label_issues_info={
            "available": False, "reason": f"label issues cover {len(issues.scores)} items, "
                                          f"the predictions {len(view.losses)}"})
    state = cards_state(issues, view.vocab)
    return replace(view, label_quality=state["label_quality"], label_issue=state["label_issue"],
                   suggested_label=state["suggested_label"],
                   label_issues_info={**state["label_issues_info"], **info})


def with_fix_queue(view: TopLossesView, run) -> TopLossesView:
    """``view`` holding ``run``'s fix queue (``run.fixes``) and its decisions; an unreadable
    ``fixes.json`` leaves the queue empty and says why (``fixes_error``)."""
    queue = run.fixes
    try:
        fixes, error = [d.to_json() for d in queue.list()], ""
    except PetLensError as e:
        fixes, error = [], str(e)
    return replace(view, run_id=run.id, fixes=fixes, fix_queue=queue, fixes_error=error)
