"""The confusion matrix view: counts, display orders, most-confused pairs, and the class pairs
cleanlab finds overlapping (``cleanlab.dataset.find_overlapping_classes``)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import numpy as np

from ..classification import NORMALIZE, normalized
from ..errors import PetLensError
from . import orders
from ._label_issues import NOT_COMPUTED, describe, label_issues_of, unavailable
from ._plotting import FONT, FONT_FLOOR, WIDTH, axes, block_max, style

COLOR_SCALES = ("linear", "log")
# Above this many classes the colour scale starts as 'log': errors of 1-10 items stay visible
# beside a diagonal of 70 in the overview.
LOG_SCALE_ABOVE = 100
NOTE_CHARS = int(WIDTH * 72 / (0.55 * FONT))  # characters a line of the picture's note holds
# The most-confused list starts with the smallest min_val that lists at most this many pairs.
LISTED_PAIRS = 10
# Overlapping class pairs named in the static picture (the widget lists 10, then "N more").
PICTURE_PAIRS = 5
OVERLAP_HINT = "consider merging or checking these two classes"
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
    >>> pair = view.overlapping_pairs[0]           # cleanlab: most overlapping first
    >>> sorted(pair), pair["a"] < pair["b"]
    (['a', 'b', 'examples', 'joint'], True)
    """

    counts: np.ndarray
    vocab: list[str]
    orders: dict
    order: str = "clustered"
    normalize: str | None = None  # or 'true' / 'pred': shares by actual / predicted class
    color_scale: str = "linear"  # from_run: 'log' above LOG_SCALE_ABOVE classes
    hide_diagonal: bool = False
    min_val: int = 1  # most-confused list: pairs confused at least this often (fastai's)
    # cleanlab's overlapping class pairs, most overlapping first: {a, b (class indices, a < b),
    # joint (probability), examples (overlapping items)}; empty without label issues
    overlapping_pairs: list = field(default_factory=list)
    issues_info: dict = field(default_factory=lambda: unavailable("not computed"))

    @classmethod
    def from_run(cls, run, *, label_issues: bool = True, **options):
        """The view of ``run``'s latest predictions; ``options``: ``order``, ``normalize``,
        ``color_scale`` (default 'log' above ``LOG_SCALE_ABOVE`` classes), ``hide_diagonal``,
        ``min_val`` (default: the smallest listing at most ``LISTED_PAIRS`` pairs); the
        widget starts with them. With ``label_issues``, cleanlab's overlapping class pairs
        too (computed at the run's first read, then cached in ``label_issues.npz``; a run
        without them says why)."""
        counts = run.confusion_matrix()
        vocab = list(run.vocab)
        options.setdefault("color_scale", "log" if len(vocab) > LOG_SCALE_ABOVE else "linear")
        options.setdefault("min_val", short_list_min_val(counts))
        issues, info = label_issues_of(run) if label_issues else (
            None, unavailable(NOT_COMPUTED))
        view = cls(counts, vocab, orders.all_orders(vocab, counts), **options,
                   overlapping_pairs=[] if issues is None else overlapping_pairs(issues),
                   issues_info=info)
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
                "selection": None, "filter_actual": None, "filter_predicted": None,
                "overlapping_pairs": [dict(p) for p in self.overlapping_pairs],
                "label_issues_info": dict(self.issues_info)}

    def figsize(self) -> tuple[float, float]:
        """The picture's size: cells big enough for their counts up to ~40 classes, and room
        under the matrix for the overlapping pairs' lines."""
        lines = self.pairs_text().count("\n") + 2  # a blank line, then the note
        return (WIDTH, float(np.clip(2.6 + 0.17 * len(self.vocab), 6.0, WIDTH))
                + lines * FONT * 0.8 / 72)

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
        if n <= max_labels:
            self._outline_pairs(ax, order)
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
        # wrapped here: matplotlib's wrap=True measures words as TeX despite parse_math=False
        note = "\n".join(textwrap.fill(line, NOTE_CHARS) for line in self.pairs_text().split("\n"))
        ax.set_xlabel(f"{ax.get_xlabel()}\n\n{note}", fontsize=FONT, parse_math=False)
        self.ax_ = ax
        return self

    def pairs_text(self, k: int = PICTURE_PAIRS) -> str:
        """The static picture's note: the ``k`` most overlapping pairs, or why there are none.

        >>> ConfusionMatrixView.from_run(run).pairs_text(1).startswith("Overlapping classes")
        True
        """
        if not self.issues_info.get("available"):
            return describe(self.issues_info)
        if not self.overlapping_pairs:
            return "Overlapping classes (cleanlab): none found"
        shown = [f"{_short(self.vocab[p['a']])} ↔ {_short(self.vocab[p['b']])}: "
                 f"{p['examples']} items, joint {percent(p['joint'])}"
                 for p in self.overlapping_pairs[:k]]
        more = len(self.overlapping_pairs) - len(shown)
        if more > 0:
            shown.append(f"{more} more")
        dashed = "; dashed in the matrix" if len(self.vocab) <= 50 else ""
        lines, line = [], ""
        for part in shown:  # a few per line: the picture is WIDTH inches wide
            if line and len(line) + len(part) > 80:
                lines.append(line)
                line = ""
            line = f"{line} · {part}" if line else part
        return "\n".join([f"Overlapping classes (cleanlab: {OVERLAP_HINT}{dashed})",
                          *lines, line])

    def _outline_pairs(self, ax, order, k: int = PICTURE_PAIRS) -> None:
        """Both cells of each of the ``k`` most overlapping pairs, dashed."""
        from matplotlib.patches import Rectangle

        position = np.empty(len(order), int)
        position[np.asarray(order)] = np.arange(len(order))
        for pair in self.overlapping_pairs[:k]:
            a, b = position[pair["a"]], position[pair["b"]]
            for row, col in ((a, b), (b, a)):
                ax.add_patch(Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, lw=1.2,
                                       ls="--", edgecolor="#dd8452"))

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


def overlapping_pairs(issues) -> list[dict]:
    """cleanlab's overlapping pairs of ``issues`` (:class:`petlens.label_issues.LabelIssues`)
    as plain dicts, most overlapping first: ``a`` < ``b`` class indices, ``joint``,
    ``examples``."""
    rows = zip(issues.pairs.tolist(), issues.pair_joint.tolist(), issues.pair_count.tolist(),
               strict=True)
    return [{"a": int(a), "b": int(b), "joint": float(joint), "examples": int(count)}
            for (a, b), joint, count in rows]


def percent(share: float) -> str:
    """A share as the front end prints it (``lib/format.js`` ``formatPercent``): one decimal,
    two below 1 %.

    >>> percent(0.0123), percent(0.00052), percent(0.5)
    ('1.2%', '0.05%', '50.0%')
    """
    value = 100 * share
    return f"{value:.{2 if abs(value) < 1 else 1}f}%"


def _short(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"
