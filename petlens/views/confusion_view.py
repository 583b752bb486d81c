"""The confusion matrix view: counts, display orders, most-confused pairs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..classification import NORMALIZE, normalized
from ..errors import PetLensError
from . import orders
from ._plotting import axes

COLOR_SCALES = ("linear", "log")


def compact_counts(counts: np.ndarray) -> np.ndarray:
    """Counts in the smallest integer type that holds them (a 1000-class matrix of small
    counts travels as 1 MB of uint8 instead of 4 MB of int32)."""
    peak = int(counts.max()) if counts.size else 0
    dtype = np.uint8 if peak < 2**8 else np.int16 if peak < 2**15 else np.int32
    return counts.astype(dtype)


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
    color_scale: str = "linear"
    hide_diagonal: bool = False

    @classmethod
    def from_run(cls, run, **options):
        """The view of ``run``'s latest predictions; ``options``: ``order``, ``normalize``,
        ``color_scale``, ``hide_diagonal`` (the widget starts with them)."""
        counts = run.confusion_matrix()
        view = cls(counts, list(run.vocab), orders.all_orders(run.vocab, counts), **options)
        view._check()
        return view

    def _check(self) -> None:
        for name, value, allowed in (("order", self.order, list(self.orders)),
                                     ("normalize", self.normalize, NORMALIZE),
                                     ("color_scale", self.color_scale, COLOR_SCALES)):
            if value not in allowed:
                raise PetLensError(f"{name}={value!r}: expected one of {allowed}")

    def values(self) -> np.ndarray:
        """Counts, or shares by actual ('true') / predicted ('pred') class."""
        return normalized(self.counts, self.normalize)

    def state(self) -> dict:
        """Trait values of the confusion widget (arrays still numpy)."""
        return {"vocab": self.vocab, "counts": compact_counts(self.counts),
                "orders": self.orders, "order": self.order, "normalize": self.normalize,
                "color_scale": self.color_scale, "hide_diagonal": self.hide_diagonal,
                "selection": None, "filter_actual": None, "filter_predicted": None}

    def plot(self, ax=None, *, max_labels: int = 60, cmap: str = "Blues"):
        """Draw the matrix in display order; tick labels only when they can be read."""
        ax = axes(ax, figsize=(7, 6))
        order = self.orders[self.order]
        values = self.values()[np.ix_(order, order)]
        image = ax.imshow(values, cmap=cmap, interpolation="nearest")
        ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
        if len(order) <= max_labels:
            names = [self.vocab[i] for i in order]
            ticks = np.arange(len(order))
            size = max(4.0, min(9.0, 400 / max(len(order), 1)))
            ax.set_xticks(ticks, names, rotation=90, fontsize=size)
            ax.set_yticks(ticks, names, fontsize=size)
        ax.set_xlabel("Predicted")
        ax.set_ylabel("Actual")
        ax.set_title(f"Confusion matrix ({self.order} order)")
        self.ax_ = ax
        return self

    def widget(self, **kwargs):
        from ..widgets.confusion import ConfusionMatrixWidget  # sugar pointing up: lazy

        return ConfusionMatrixWidget.from_view(self, **kwargs)
