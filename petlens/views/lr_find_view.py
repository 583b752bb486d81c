"""The learning-rate finder view: every ``lr_find`` of a session, overlaid."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._plotting import FONT, FONT_FLOOR, WIDTH, axes, style

EXPLANATIONS = {
    "valley": "Middle of the longest stretch where the loss keeps falling: fastai's default,"
              " a safe and usually fast choice.",
    "slide": "Where the loss curve stops flattening, found by sliding a window back from the "
             "divergence: often a bit more aggressive than valley.",
    "minimum": "One tenth of the rate with the lowest loss: the classic fastbook rule of "
               "thumb, conservative.",
    "steep": "Where the loss falls fastest: learning is quickest here, but it is close to "
             "the edge.",
}
MARKERS = {"valley": "o", "slide": "s", "minimum": "v", "steep": "^"}


def run_epochs(run, default: int) -> int:
    """Epochs of the run's latest unfrozen fit (``frozen_idx`` 0), else of its latest fit,
    else ``default``: what the copyable line offers."""
    fits = [p for p in run.phases if isinstance(p.get("n_epoch"), int) and p["n_epoch"] > 0]
    unfrozen = [p for p in fits if p.get("frozen_idx") == 0]
    return (unfrozen or fits)[-1]["n_epoch"] if fits else default


@dataclass
class LrFindView:
    """All ``lr_find`` calls of a run, scikit-learn Display style."""

    calls: list
    frozen_labels: list
    show_raw: bool = False  # the raw losses beside the smoothed curve
    epochs_hint: int = 3  # epochs in the copyable line (from_run: the run's own, run_epochs)
    slice_ratio: int = 100  # hi / lo of lr_max=slice(lo, hi) after unfreeze (chapter 5: 100)

    @classmethod
    def from_run(cls, run, **options):
        """Every ``lr_find`` of ``run``; ``options``: ``show_raw``, ``epochs_hint`` (default:
        :func:`run_epochs`), ``slice_ratio``."""
        n_groups = len(run.layer_groups)
        labels = ["frozen" if 0 < call.frozen_idx < n_groups else "unfrozen"
                  for call in run.lr_finds]
        options.setdefault("epochs_hint", run_epochs(run, cls.epochs_hint))
        return cls(list(run.lr_finds), labels, **options)

    def labels(self) -> list[str]:
        return [f"lr_find #{i + 1} ({state})" for i, state in enumerate(self.frozen_labels)]

    def state(self) -> dict:
        """Trait values of the LR-finder widget."""
        curves = [{
            "label": label,
            "iter": call.iter,
            "frozen_idx": call.frozen_idx,
            "lrs": np.asarray(call.lrs, np.float32),
            "losses": np.asarray(call.losses, np.float32),
            "raw_losses": np.asarray(call.raw_losses, np.float32),
            "suggestions": call.suggestions,
            "points": call.points,
        } for label, call in zip(self.labels(), self.calls, strict=True)]
        return {"curves": curves, "explanations": EXPLANATIONS, "selected_lr": None,
                "selected_curve": max(len(curves) - 1, 0), "show_raw": self.show_raw,
                "epochs_hint": self.epochs_hint, "slice_ratio": self.slice_ratio}

    def figsize(self) -> tuple[float, float]:
        return (WIDTH, 4.5 if self.calls else 1.5)

    def plot(self, ax=None, *, skip_end: int = 5):
        """Loss against learning rate (log axis) with fastai's suggestions marked where
        fastai plots them; the legend gives each suggestion as ``lr_find()`` returned it
        (``minimum`` is drawn at the lowest loss, one tenth of it is the suggestion)."""
        ax = axes(ax, figsize=self.figsize())
        if not self.calls:
            ax.text(0.5, 0.5, "No lr_find recorded", ha="center", va="center",
                    transform=ax.transAxes, fontsize=FONT)
            style(ax, "Learning-rate finder")
            ax.set_axis_off()
            self.ax_ = ax
            return self
        for label, call in zip(self.labels(), self.calls, strict=True):
            end = len(call.lrs) - skip_end if len(call.lrs) > skip_end else len(call.lrs)
            (line,) = ax.plot(call.lrs[:end], call.losses[:end], label=label)
            for name, point in call.points.items():
                value = call.suggestions.get(name)
                if point and None not in point and value is not None:
                    ax.plot(*point, MARKERS.get(name, "o"), color=line.get_color(),
                            markeredgecolor="black", label=f"  {name} {value:.1e}")
        ax.set_xscale("log")
        style(ax, "Learning-rate finder", xlabel="Learning rate", ylabel="Loss (smoothed)")
        ax.legend(fontsize=FONT_FLOOR)
        self.ax_ = ax
        return self

    def widget(self, **kwargs):
        from ..widgets.lr_find import LrFindWidget  # sugar pointing up: lazy

        return LrFindWidget.from_view(self, **kwargs)
