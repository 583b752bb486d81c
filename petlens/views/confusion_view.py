"""The confusion matrix view: counts, display orders, most-confused pairs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import PetLensError
from . import orders
from ._plotting import axes

NORMALIZE_CHOICES = ("none", "true", "pred")


def compact_counts(counts: np.ndarray) -> np.ndarray:
    """Counts in the smallest integer type that holds them (a 1000-class matrix of small
    counts travels as 1 MB of uint8 instead of 4 MB of int32)."""
    peak = int(counts.max()) if counts.size else 0
    dtype = np.uint8 if peak < 2**8 else np.int16 if peak < 2**15 else np.int32
    return counts.astype(dtype)


@dataclass
class ConfusionMatrixView:
    """Confusion matrix of a run, in the scikit-learn Display style.

    >>> view = ConfusionMatrixView.from_run(run)   # doctest: +SKIP
    >>> view.plot()                                # static matplotlib picture
    >>> view.widget()                              # zoomable, clickable Jupyter widget
    """

    counts: np.ndarray
    vocab: list[str]
    orders: dict
    order: str = "clustered"
    normalize: str = "none"

    @classmethod
    def from_run(cls, run, *, order: str = "clustered", normalize: str = "none"):
        counts = run.confusion_matrix()
        view = cls(counts, list(run.vocab), orders.all_orders(run.vocab, counts), order,
                   normalize)
        view._check()
        return view

    def _check(self) -> None:
        if self.order not in self.orders:
            raise PetLensError(f"order={self.order!r}: expected one of {list(self.orders)}")
        if self.normalize not in NORMALIZE_CHOICES:
            raise PetLensError(f"normalize={self.normalize!r}: expected {NORMALIZE_CHOICES}")

    def values(self) -> np.ndarray:
        """Counts, or shares by actual ('true') / predicted ('pred') class."""
        if self.normalize == "none":
            return self.counts
        axis = 1 if self.normalize == "true" else 0
        totals = self.counts.sum(axis=axis, keepdims=True)
        return np.divide(self.counts, totals, out=np.zeros(self.counts.shape), where=totals > 0)

    def state(self) -> dict:
        """Trait values of the confusion widget (arrays still numpy)."""
        return {"vocab": self.vocab, "counts": compact_counts(self.counts),
                "orders": self.orders, "order": self.order, "normalize": self.normalize,
                "color_scale": "linear", "hide_diagonal": False, "selection": None}

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
        from ..widgets import ConfusionMatrixWidget

        return ConfusionMatrixWidget.from_view(self, **kwargs)
