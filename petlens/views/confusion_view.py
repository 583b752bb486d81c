"""The confusion matrix view: counts, display orders, most-confused pairs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..classification import NORMALIZE, normalized
from ..errors import PetLensError
from . import orders
from ._plotting import FONT, FONT_FLOOR, WIDTH, axes, block_max, style

COLOR_SCALES = ("linear", "log")
# Above this many classes the colour scale starts as 'log': errors of 1-10 items stay visible
# beside a diagonal of 70 in the overview.
LOG_SCALE_ABOVE = 100
# The most-confused list starts with the smallest min_val that lists at most this many pairs.
LISTED_PAIRS = 10
ORDER_HELP = {
    "alphabetical": ("Alphabetical", "class names A-Z, ignoring case."),
    "species": ("Species (cats | dogs)", "cats (capitalised names, as Oxford-IIIT Pets) first, "
                "then dogs, each A-Z; a line separates them."),
    "clustered": ("Clustered", "classes confused with each other side by side (the "
                  "confusions gather near the diagonal)."),
}


def compact_counts(counts: np.ndarray) -> np.ndarray:
    """Counts in the smallest integer type that holds them (a 1000-class matrix of small
    counts travels as 1 MB of uint8 instead of 4 MB of int32)."""
    peak = int(counts.max()) if counts.size else 0
    dtype = np.uint8 if peak < 2**8 else np.int16 if peak < 2**15 else np.int32
    return counts.astype(dtype)


def short_list_min_val(counts: np.ndarray, listed: int = LISTED_PAIRS) -> int:
    """The smallest ``min_val`` for which ``most_confused(min_val)`` lists at most ``listed``
    pairs (as fastbook picks ``min_val=5`` for Pets).

    >>> short_list_min_val(np.array([[9, 3, 1], [2, 9, 0], [0, 5, 9]]), listed=2)
    3
    """
    off = np.asarray(counts)[~np.eye(len(counts), dtype=bool)]
    off = np.sort(off[off > 0])[::-1]
    return 1 if len(off) <= listed else int(off[listed]) + 1


@dataclass
class ConfusionMatrixView:
    """Confusion matrix of a run, in the scikit-learn Display style.

    >>> view = ConfusionMatrixView.from_run(run, normalize="true")
    >>> view.plot().ax_.get_title()                # a static matplotlib picture
    'Confusion matrix (clustered order)'
    >>> widget = view.widget()                     # zoomable, clickable Jupyter widget
    """

    counts: np.ndarray
    vocab: list[str]
    orders: dict
    order: str = "clustered"
    normalize: str | None = None  # or 'true' / 'pred': shares by actual / predicted class
    color_scale: str = "linear"  # from_run: 'log' above LOG_SCALE_ABOVE classes
    hide_diagonal: bool = False
    min_val: int = 1  # most-confused list: pairs confused at least this often (fastai's)

    @classmethod
    def from_run(cls, run, **options):
        """The view of ``run``'s latest predictions; ``options``: ``order``, ``normalize``,
        ``color_scale`` (default 'log' above ``LOG_SCALE_ABOVE`` classes), ``hide_diagonal``,
        ``min_val`` (default: the smallest listing at most ``LISTED_PAIRS`` pairs); the
        widget starts with them."""
        counts = run.confusion_matrix()
        vocab = list(run.vocab)
        options.setdefault("color_scale", "log" if len(vocab) > LOG_SCALE_ABOVE else "linear")
        options.setdefault("min_val", short_list_min_val(counts))
        view = cls(counts, vocab, orders.all_orders(vocab, counts), **options)
        view._check()
        return view

    def _check(self) -> None:
        for name, value, allowed in (("order", self.order, list(self.orders)),
                                     ("normalize", self.normalize, NORMALIZE),
                                     ("color_scale", self.color_scale, COLOR_SCALES)):
            if value not in allowed:
                raise PetLensError(f"{name}={value!r}: expected one of {allowed}")
        if isinstance(self.min_val, bool) or not isinstance(self.min_val, (int, np.integer)) \
                or self.min_val < 1:
            raise PetLensError(f"min_val={self.min_val!r}: expected an integer >= 1")

    def order_info(self) -> dict:
        """Per order: its option ``label``, a ``help`` sentence and its ``groups`` (display
        positions where a group starts: dogs after cats in the species order)."""
        info = {}
        for name in self.orders:
            label, help_text = ORDER_HELP.get(name, (name, ""))
            info[name] = {"label": label, "help": f"{label}: {help_text}" if help_text else "",
                          "groups": []}
        n_cats = sum(name[:1].isupper() for name in self.vocab)
        if "species" in info and 0 < n_cats < len(self.vocab):
            info["species"]["groups"] = [{"start": 0, "name": "cats"},
                                         {"start": n_cats, "name": "dogs"}]
        return info

    def values(self) -> np.ndarray:
        """Counts, or shares by actual ('true') / predicted ('pred') class."""
        return normalized(self.counts, self.normalize)

    def state(self) -> dict:
        """Trait values of the confusion widget (arrays still numpy)."""
        return {"vocab": self.vocab, "counts": compact_counts(self.counts),
                "orders": self.orders, "order": self.order, "normalize": self.normalize,
                "color_scale": self.color_scale, "hide_diagonal": self.hide_diagonal,
                "min_val": int(self.min_val), "order_info": self.order_info(),
                "selection": None, "filter_actual": None, "filter_predicted": None}

    def figsize(self) -> tuple[float, float]:
        """The picture's size: cells big enough for their counts up to ~40 classes."""
        return (WIDTH, float(np.clip(2.6 + 0.17 * len(self.vocab), 6.0, WIDTH)))

    def plot(self, ax=None, *, max_labels: int = 50, counts_up_to: int = 40,
             cmap: str = "Blues"):
        """Draw the matrix in display order (``color_scale``, ``hide_diagonal`` as the widget
        does), the value in each cell up to ``counts_up_to`` classes, class names up to
        ``max_labels``."""
        from matplotlib.colors import LogNorm

        ax = axes(ax, figsize=self.figsize())
        order = self.orders[self.order]
        n = len(order)
        counts = self.counts[np.ix_(order, order)]
        values = np.ma.masked_array(self.values()[np.ix_(order, order)])
        if self.hide_diagonal:
            values[np.diag_indices(n)] = np.ma.masked
        positive = values.compressed()[values.compressed() > 0]
        log = self.color_scale == "log" and positive.size > 0
        # half the smallest value at the bottom of the scale: a single item stays visible
        norm = LogNorm(float(positive.min()) / 2, float(positive.max())) if log else None
        shown, block = block_max(np.ma.masked_where(values <= 0, values) if log else values)
        image = ax.imshow(shown, cmap=cmap, norm=norm, interpolation="nearest",
                          extent=(-0.5, n - 0.5, n - 0.5, -0.5))
        share = {"true": "share of the actual class", "pred": "share of the predicted class"}
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        bar.ax.tick_params(labelsize=FONT_FLOOR)
        bar.set_label(share.get(self.normalize, "items"), fontsize=FONT)
        if n <= counts_up_to:
            self._cell_texts(ax, values, counts)
        hidden = n > max_labels
        if not hidden:
            names = [self.vocab[i] for i in order]
            ax.set_xticks(np.arange(n), names, rotation=90, parse_math=False)  # run strings:
            ax.set_yticks(np.arange(n), names, parse_math=False)  # literal text, never TeX
        else:
            ax.set_xticks([])
            ax.set_yticks([])
        note = f" ({n} classes, names in the widget)" if hidden else ""
        if block > 1:
            note += f"\neach square: the largest of {block} × {block} cells"
        style(ax, f"Confusion matrix ({self.order} order)", xlabel="Predicted" + note,
              ylabel="Actual")
        self.ax_ = ax
        return self

    def _cell_texts(self, ax, values, counts) -> None:
        """Each non-empty cell's count (or percentage when normalized), white on dark."""
        top = float(values.max()) if values.count() else 0.0
        size = FONT if len(counts) <= 20 else FONT_FLOOR
        shown = (counts > 0) & ~np.ma.getmaskarray(values)
        for i, j in zip(*np.nonzero(shown), strict=True):
            value = float(values[i, j])
            text = f"{counts[i, j]}" if self.normalize is None else f"{100 * value:.0f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=size,
                    color="white" if value > top / 2 else "black")

    def widget(self, **kwargs):
        from ..widgets.confusion import ConfusionMatrixWidget  # sugar pointing up: lazy

        return ConfusionMatrixWidget.from_view(self, **kwargs)
