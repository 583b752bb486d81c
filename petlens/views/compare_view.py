"""The comparison of two runs as a view: what the compare widget, the comparison page and
the static pictures show (``petlens.compare`` computes the numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..compare import CHANGE_NAMES, Comparison, compare
from ..errors import PetLensError
from ..jpeg import array_jpeg
from . import orders as class_orders
from ._plotting import DPI, FONT, FONT_FLOOR, WIDTH, axes, figure_png, style
from .confusion_view import compact_counts

CHANGE_FILTERS = ("all", "fixed", "broken", "still_wrong", "relabelled")
NORMALIZE = (None, "true")  # 'true': rates of the actual class; None: counts
ORDER_HELP = {
    "vocab": ("Vocabulary", "A's class order, then the classes only B has."),
    "alphabetical": ("Alphabetical", "class names A-Z, ignoring case."),
    "clustered": ("Clustered (B)", "classes B confuses with each other side by side."),
    "change": ("Largest change", "classes whose error rate changed most first."),
}
DIVERGING = "RdBu_r"  # blue: fewer in B, red: more in B; white: no change
LEGEND = ("B − A: red = more in B, blue = fewer;\non the diagonal more is better, "
          "off it more is worse")


@dataclass
class CompareView:
    """Two runs compared item by item, scikit-learn Display style.

    >>> view = CompareView.from_runs(run, run)
    >>> view.state()["counts"]["broken"], view.plot_matrix().ax_.get_title()
    (0, 'Confusion difference B − A (share of the actual class, clustered order)')
    """

    comparison: Comparison
    orders: dict  # name -> int32 permutation of the class indices
    thumbs: dict = field(default_factory=dict)  # common item index -> thumbnail path
    saliency: list = field(default_factory=list)  # [{index, run, method, target, map}]
    selection: list | None = None  # [actual, predicted] cell of the difference matrix
    selected_class: int | None = None  # a per-class row
    change_filter: str = "all"  # or a change category (CHANGE_FILTERS)
    order: str = "clustered"
    normalize: str | None = "true"  # difference of row rates; None: of counts
    page: int = 0
    page_size: int = 24
    selected_item: int | None = None

    @classmethod
    def from_comparison(cls, cmp: Comparison, **options) -> CompareView:
        """The view of ``cmp``; ``options``: the UI fields (``order``, ``normalize``,
        ``change_filter``, ``page_size``...), which the widget starts with."""
        view = cls(cmp, comparison_orders(cmp), stored_thumbs(cmp), stored_saliency(cmp),
                   **options)
        view._check()
        return view

    @classmethod
    def from_runs(cls, run_a, run_b, **options) -> CompareView:
        """:func:`petlens.compare` of the two runs (runs, folders or names), as a view."""
        return cls.from_comparison(compare(run_a, run_b), **options)

    def _check(self) -> None:
        for name, value, allowed in (("order", self.order, list(self.orders)),
                                     ("normalize", self.normalize, NORMALIZE),
                                     ("change_filter", self.change_filter, CHANGE_FILTERS)):
            if value not in allowed:
                raise PetLensError(f"{name}={value!r}: expected one of {allowed}")
        if not isinstance(self.page_size, int) or self.page_size < 1:
            raise PetLensError(f"page_size={self.page_size!r}: expected an integer >= 1")

    @property
    def vocab(self) -> list:
        return self.comparison.vocab

    def order_info(self) -> dict:
        """Per order: its option ``label``, a ``help`` sentence and ``groups`` (none here),
        as the confusion view sends them."""
        return {name: {"label": ORDER_HELP.get(name, (name, ""))[0],
                       "help": "{}: {}".format(*ORDER_HELP[name]) if name in ORDER_HELP
                       else "", "groups": []} for name in self.orders}

    def state(self) -> dict:
        """Trait values of the compare widget (arrays still numpy), per the contract in
        js/docs/compare.md."""
        cmp = self.comparison
        state = {
            "vocab": list(cmp.vocab), "runs": cmp.runs(), "header": cmp.header,
            "counts": cmp.counts, "notices": list(cmp.notices), "notice": "",
            "counts_a": compact_counts(cmp.counts_a), "counts_b": compact_counts(cmp.counts_b),
            "orders": {name: np.asarray(order, np.int32) for name, order in self.orders.items()},
            "order_info": self.order_info(),
        }
        for key, rates in (("a", cmp.rates_a), ("b", cmp.rates_b)):
            for metric in ("error", "precision", "recall"):
                state[f"{metric}_{key}"] = rates[metric].astype(np.float32)
            state[f"support_{key}"] = rates["support"].astype(np.int32)
        state.update({
            "items": cmp.items.tolist(),
            "actual_a": cmp.actual_a.astype(np.int32), "actual_b": cmp.actual_b.astype(np.int32),
            "pred_a": cmp.pred_a.astype(np.int32), "pred_b": cmp.pred_b.astype(np.int32),
            "loss_a": cmp.loss_a.astype(np.float32), "loss_b": cmp.loss_b.astype(np.float32),
            "change": cmp.change.astype(np.uint8), "change_names": list(CHANGE_NAMES),
            "thumbs": [{"index": int(i), "jpeg": path.read_bytes()}
                       for i, path in sorted(self.thumbs.items())],
            "saliency": [{"index": s["index"], "run": s["run"], "method": s["method"],
                          "target": s["target"], "jpeg": array_jpeg(s["map"])}
                         for s in self.saliency],
            "lr_finds": cmp.lr_finds, "timelines": cmp.timelines,
            "selection": None if self.selection is None else [int(i) for i in self.selection],
            "selected_class": self.selected_class, "change_filter": self.change_filter,
            "order": self.order, "normalize": self.normalize, "page": int(self.page),
            "page_size": int(self.page_size), "selected_item": self.selected_item,
        })
        return state

    # -- what the budget of a page keeps ---------------------------------------------------
    def ranked_items(self) -> np.ndarray:
        """Common items by their larger loss of the two runs, largest first (what a size
        budget keeps longest)."""
        cmp = self.comparison
        return np.argsort(-np.fmax(cmp.loss_a, cmp.loss_b), kind="stable")

    def keep_saliency(self, n: int) -> CompareView:
        """A copy keeping the stored maps of the ``n`` highest-loss items that have any."""
        keep = self._keep({s["index"] for s in self.saliency}, n)
        return replace(self, saliency=[s for s in self.saliency if s["index"] in keep])

    def keep_thumbs(self, n: int) -> CompareView:
        """A copy keeping the thumbnails (and maps) of the ``n`` highest-loss items that have
        one."""
        keep = self._keep(set(self.thumbs), n)
        return replace(self, thumbs={i: p for i, p in self.thumbs.items() if i in keep},
                        saliency=[s for s in self.saliency if s["index"] in keep])

    def _keep(self, having: set, n: int) -> set:
        ranked = [int(i) for i in self.ranked_items() if int(i) in having]
        return set(ranked[:n])

    # -- static pictures --------------------------------------------------------------------
    def difference(self) -> np.ndarray:
        """B − A of the confusion matrices of the common items: of the row rates (share of
        the actual class; ``normalize='true'``) or of the counts (``None``)."""
        a = self.comparison.counts_a.astype(np.float64)
        b = self.comparison.counts_b.astype(np.float64)
        if self.normalize == "true":
            a = _row_rates(a)
            b = _row_rates(b)
        return b - a

    def matrix_figsize(self) -> tuple[float, float]:
        return (WIDTH, float(np.clip(2.6 + 0.17 * len(self.vocab), 6.0, WIDTH)))

    def plot_matrix(self, ax=None, *, max_labels: int = 50, values_up_to: int = 30):
        """The confusion difference B − A in display order on a diverging scale centred on
        zero (``RdBu_r``: red = more in B, blue = fewer), each cell's value up to
        ``values_up_to`` classes, class names up to ``max_labels``."""
        from matplotlib.colors import CenteredNorm

        ax = axes(ax, figsize=self.matrix_figsize())
        order = np.asarray(self.orders[self.order])
        n = len(order)
        diff = self.difference()[np.ix_(order, order)]
        shown, block = signed_block_max(diff)
        half = float(np.abs(shown).max()) if shown.size else 0.0
        image = ax.imshow(shown, cmap=DIVERGING, norm=CenteredNorm(0.0, half or 1.0),
                          interpolation="nearest", extent=(-0.5, n - 0.5, n - 0.5, -0.5))
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        bar.ax.tick_params(labelsize=FONT_FLOOR)
        unit = "share of the actual class" if self.normalize == "true" else "items"
        bar.set_label(f"B − A ({unit})", fontsize=FONT)
        if n <= values_up_to:
            self._cell_texts(ax, diff, half)
        if half == 0:
            ax.text(0.5, 0.5, "No cell changed between A and B", ha="center", va="center",
                    transform=ax.transAxes, fontsize=FONT)
        if n <= max_labels:
            names = [self.vocab[i] for i in order]
            ax.set_xticks(np.arange(n), names, rotation=90, parse_math=False)  # run strings:
            ax.set_yticks(np.arange(n), names, parse_math=False)  # literal text, never TeX
        else:
            ax.set_xticks([])
            ax.set_yticks([])
        note = f" ({n} classes, names in the widget)" if n > max_labels else ""
        if block > 1:
            note += f"\neach square: the largest change of {block} × {block} cells"
        style(ax, f"Confusion difference B − A ({unit}, {self.order} order)",
              xlabel=f"Predicted{note}\n{LEGEND}", ylabel="Actual")
        self.ax_ = ax
        return self

    def _cell_texts(self, ax, diff: np.ndarray, half: float) -> None:
        size = FONT if len(diff) <= 20 else FONT_FLOOR
        for i, j in zip(*np.nonzero(diff), strict=True):
            value = float(diff[i, j])
            text = f"{value:+.0f}" if self.normalize is None else f"{100 * value:+.0f}"
            if text in ("+0", "-0"):
                continue
            ax.text(j, i, text, ha="center", va="center", fontsize=size,
                    color="white" if abs(value) > 0.6 * half else "black")

    def per_class_figsize(self, max_classes: int = 30) -> tuple[float, float]:
        return (WIDTH, max(3.0, 0.24 * min(len(self.vocab), max_classes) + 1.4))

    def plot_per_class(self, ax=None, *, max_classes: int = 30):
        """The change of each class's error rate B − A (largest changes first, at most
        ``max_classes``): red bars got worse, blue better; each label says A -> B."""
        cmp = self.comparison
        delta = cmp.error_change()
        order = [i for i in cmp.change_order() if not np.isnan(delta[i])][:max_classes]
        ax = axes(ax, figsize=self.per_class_figsize(max_classes))
        rows = np.arange(len(order))
        values = delta[order] if order else np.zeros(0)
        ax.barh(rows, values, color=np.where(values > 0, "#b2182b", "#2166ac"))
        ea, eb = cmp.rates_a["error"], cmp.rates_b["error"]
        labels = [f"{self.vocab[i]}  {ea[i]:.0%} → {eb[i]:.0%}" for i in order]
        ax.set_yticks(rows, labels, fontsize=FONT_FLOOR, parse_math=False)
        ax.invert_yaxis()
        ax.axvline(0, color="black", lw=0.8)
        limit = max(float(np.abs(values).max()) if len(values) else 0.0, 0.05)
        ax.set_xlim(-limit * 1.1, limit * 1.1)  # at least ±5 points: small changes look small
        ax.xaxis.set_major_formatter(_percent_points())
        if len(values) and not np.any(values):
            ax.text(0.5, 0.5, "No class's error rate changed", ha="center", va="center",
                    transform=ax.transAxes, fontsize=FONT,
                    bbox={"facecolor": "white", "edgecolor": "none"})
        hidden = int(np.count_nonzero(~np.isnan(delta))) - len(order)
        more = f" ({hidden} more classes not shown)" if hidden > 0 else ""
        style(ax, f"Per-class error rate, B − A, largest changes first{more}",
              xlabel="change of the error rate (red: worse in B, blue: better)")
        if not order:
            ax.text(0.5, 0.5, "No class has items in both runs", ha="center",
                    transform=ax.transAxes, fontsize=FONT)
        self.ax_ = ax
        return self

    def plot_lr_find(self, ax=None):
        """Every lr_find of both runs, overlaid (A solid, B dashed), valley marked."""
        ax = axes(ax, figsize=(WIDTH, 3.6))
        curves = self.comparison.lr_finds
        for n, curve in enumerate(curves):
            lrs, losses = curve["lrs"], curve["losses"]
            style_kw = _run_style(curve["run"])
            label = f"{curve['run'].upper()}: lr_find #{_nth(curves, n)}"
            ax.plot(lrs, losses, label=label, **style_kw)
            if curve["valley"] is not None and len(lrs):
                at = int(np.argmin(np.abs(np.log(lrs) - np.log(curve["valley"]))))
                ax.plot(lrs[at], losses[at], "o", color=style_kw["color"], ms=6)
        if curves:
            ax.set_xscale("log")
            ax.legend(fontsize=FONT_FLOOR)
        else:
            ax.text(0.5, 0.5, "Neither run has an lr_find", ha="center",
                    transform=ax.transAxes, fontsize=FONT)
            ax.set_xticks([])
            ax.set_yticks([])
        style(ax, "Learning-rate finder, A and B (dot: valley)", xlabel="learning rate",
              ylabel="loss")
        self.ax_ = ax
        return self

    def plot_timelines(self, ax=None):
        """Both runs' training losses on one iteration axis aligned by phase (each fit of
        B starts where A's does), the last group's learning rate on a twin axis."""
        ax = axes(ax, figsize=(WIDTH, 3.6))
        timelines = [t for t in self.comparison.timelines if len(t["x"])]
        lr_ax = ax.twinx() if timelines else None
        for timeline in timelines:
            kw = _run_style(timeline["run"])
            ax.plot(timeline["x"], timeline["loss"], lw=0.8, label=f"{timeline['run'].upper()}"
                    " train loss", **kw)
            lr_ax.plot(timeline["x"], timeline["lr"], lw=1.2, alpha=0.5, color=kw["color"],
                       linestyle=":")
        starts = sorted({s for t in timelines for s in t["phase_starts"]})
        for start in starts[1:]:
            ax.axvline(start, color="0.4", ls="--", lw=0.8)
        if lr_ax is not None:
            lr_ax.set_yscale("log")
            lr_ax.set_ylabel("lr, last group (dotted)", fontsize=FONT)
            lr_ax.tick_params(labelsize=FONT_FLOOR)
            ax.legend(loc="upper right", fontsize=FONT_FLOOR)
        else:
            ax.text(0.5, 0.5, "No training iterations recorded", ha="center",
                    transform=ax.transAxes, fontsize=FONT)
            ax.set_xticks([])
            ax.set_yticks([])
        style(ax, "Training timelines, aligned by fit (dashed: a fit starts)",
              xlabel="iteration (each fit of B starts where A's does)", ylabel="loss")
        self.ax_ = ax
        return self

    PARTS = ("plot_matrix", "plot_per_class", "plot_lr_find", "plot_timelines")

    def _heights(self) -> list[float]:
        return [self.matrix_figsize()[1], self.per_class_figsize()[1], 3.6, 3.6]

    def figsize(self) -> tuple[float, float]:
        """``WIDTH`` wide, the parts one under another, a line of counts on top."""
        return (WIDTH, 0.8 + sum(self._heights()))

    def plot(self, fig=None):
        """Every part on one tall figure (the counts as its title), one under another."""
        if fig is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=self.figsize(), dpi=DPI, layout="constrained")
        c, (a, b) = self.comparison.counts, self.comparison.runs()
        fig.suptitle(f"A: {a['name']}   B: {b['name']}\n{c['fixed']:,} fixed · {c['broken']:,} "
                     f"broken · {c['still_wrong']:,} still wrong · {c['still_right']:,} still "
                     f"right · {c['relabelled']:,} relabelled · {c['only_a']:,} only A · "
                     f"{c['only_b']:,} only B", fontsize=FONT)
        subfigs = fig.subfigures(len(self.PARTS), 1, height_ratios=self._heights(),
                                 squeeze=False)
        self.axes_ = []
        for sub, part in zip(subfigs.ravel(), self.PARTS, strict=True):
            getattr(self, part)(sub.add_subplot())
            self.axes_.append(self.ax_)
        self.fig_ = fig
        return self

    def png(self, *, dpi: int = DPI) -> bytes:
        """The static picture as PNG bytes (the widget's fallback without a kernel)."""
        return figure_png(lambda fig: self.plot(fig), figsize=self.figsize(), dpi=dpi)

    def widget(self, **kwargs):
        from ..widgets.compare import CompareWidget  # sugar pointing up: lazy

        return CompareWidget.from_view(self, **kwargs)


def comparison_orders(cmp: Comparison) -> dict:
    """``vocab``, ``alphabetical``, ``clustered`` (from B's confusions of the common items,
    as the confusion view clusters) and ``change`` (largest change of error rate first)."""
    n = len(cmp.vocab)
    return {"vocab": np.arange(n, dtype=np.int32),
            "alphabetical": np.asarray(class_orders.alphabetical(cmp.vocab), np.int32),
            "clustered": np.asarray(class_orders.clustered(cmp.counts_b), np.int32),
            "change": cmp.change_order()}


def _positions(items: np.ndarray, wanted) -> dict:
    """``{item id: position in items}`` of the ``wanted`` ids found in ``items``."""
    wanted = list(wanted)
    if not wanted:
        return {}
    where = np.flatnonzero(np.isin(items, np.asarray(wanted, dtype=str)))
    return {str(items[i]): int(i) for i in where}


def _common_ids(cmp: Comparison, key: str) -> np.ndarray:
    """Run ``key``'s own ids of the common items (B's are ``cmp.items``)."""
    run, index = (cmp.run_a, cmp.index_a) if key == "a" else (cmp.run_b, cmp.index_b)
    return np.asarray(run.preds.items)[index]


def stored_thumbs(cmp: Comparison) -> dict:
    """``{common item index: thumbnail path}`` from B where it stores one, else from A."""
    thumbs = {}
    for key, run in (("a", cmp.run_a), ("b", cmp.run_b)):  # B's replace A's
        stored = run.manifest["artefacts"]["thumbs"]["items"]
        for item, index in _positions(_common_ids(cmp, key), stored).items():
            path = run.thumbnail(item)
            if path is not None:
                thumbs[index] = path
    return thumbs


def stored_saliency(cmp: Comparison) -> list:
    """Every stored map of a common item, of either run: ``{index, run, method, target,
    map}``."""
    maps = []
    for key, run in (("a", cmp.run_a), ("b", cmp.run_b)):
        position = _positions(_common_ids(cmp, key), {s.item for s in run.saliency})
        maps += [{"index": position[s.item], "run": key, "method": s.method,
                  "target": s.target, "map": s.map}
                 for s in run.saliency if s.item in position]
    return maps


def signed_block_max(values: np.ndarray, most: int = 250) -> tuple[np.ndarray, int]:
    """``values`` shrunk to at most ``most`` rows and columns, each block shown by its value
    of largest magnitude (sign kept: no change vanishes when a big matrix is drawn), and
    the block size.

    >>> shown, block = signed_block_max(np.diag(np.tile([1.0, -3.0], 300)))
    >>> shown.shape, block, float(shown.min())
    ((200, 200), 3, -3.0)
    """
    n = len(values)
    block = -(-n // most)
    if block <= 1:
        return values, 1
    size = -(-n // block) * block
    padded = np.zeros((size, size))
    padded[:n, :n] = values
    tiles = padded.reshape(size // block, block, size // block, block).transpose(0, 2, 1, 3)
    tiles = tiles.reshape(size // block, size // block, block * block)
    pick = np.abs(tiles).argmax(axis=2)
    return np.take_along_axis(tiles, pick[..., None], axis=2)[..., 0], block


def _row_rates(counts: np.ndarray) -> np.ndarray:
    totals = counts.sum(axis=1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)


def _run_style(key: str) -> dict:
    return {"color": "#1f77b4" if key == "a" else "#d62728",
            "linestyle": "-" if key == "a" else "--"}


def _nth(curves: list, n: int) -> int:
    """1-based number of curve ``n`` among its own run's curves."""
    return sum(c["run"] == curves[n]["run"] for c in curves[:n + 1])


def _percent_points():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda value, _pos: f"{100 * value:+.3g} pts" if value else "0")
