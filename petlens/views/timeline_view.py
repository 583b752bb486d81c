"""The unfreezing timeline: per-group learning rates, frozen state and losses over time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._plotting import FONT, FONT_FLOOR, WIDTH, axes, style


def epoch_errors(run) -> list[dict]:
    """Error rate at the end of each epoch whose predictions were kept (from the manifest:
    no predictions file is opened)."""
    return [{"iter": e["iter"], "phase": e["phase"], "epoch": e["epoch"],
             "error_rate": e.get("error_rate")} for e in run.pred_sets]


def iteration_arrays(timeline) -> dict:
    """The per-iteration arrays of the timeline widget (``timeline`` has them as attributes
    or keys: a run's :class:`~petlens.Timeline`, or a live update's new iterations)."""
    get = timeline.get if isinstance(timeline, dict) else lambda key: getattr(timeline, key)
    return {"phase": get("phase").astype(np.int32), "epoch": get("epoch").astype(np.int32),
            "loss": get("loss").astype(np.float32), "lrs": get("lrs").astype(np.float32),
            "moms": get("moms").astype(np.float32),
            "trainable": get("trainable").astype(np.uint8)}


@dataclass
class TimelineView:
    """Every training iteration of a session, scikit-learn Display style."""

    timeline: object
    layer_groups: list
    phases: list
    errors: list
    speed: float = 1.0  # playback speed of the widget's Play

    @classmethod
    def from_run(cls, run, **options):
        """Every iteration of ``run``; ``options``: ``speed``."""
        return cls(run.timeline, run.layer_groups, run.phases, epoch_errors(run), **options)

    def state(self) -> dict:
        """Trait values of the timeline widget."""
        tl = self.timeline
        return {
            "layer_groups": [{"name": g["name"], "n_params": g["n_params"]}
                             for g in self.layer_groups],
            **iteration_arrays(tl),
            "phases": self.phases, "epochs": tl.epochs, "events": tl.events,
            "epoch_errors": self.errors if len(self.errors) > len(self.phases) else [],
            "cursor": max(len(tl) - 1, 0), "playing": False, "speed": self.speed,
        }

    def figsize(self) -> tuple[float, float]:
        return (WIDTH, 2.6 + 0.3 * len(self.layer_groups))

    def plot(self, ax=None, *, cmap: str = "viridis"):
        """Layer groups (rows) coloured by log learning rate, grey while frozen; train loss
        on a twin axis; phase boundaries as dashed lines."""
        import matplotlib as mpl

        ax = axes(ax, figsize=self.figsize())
        tl = self.timeline
        names = [f"{g['name']} ({g['n_params'] / 1e6:.1f}M)" for g in self.layer_groups]
        if not len(tl):
            ax.text(0.5, 0.5, "No training iterations recorded", ha="center",
                    transform=ax.transAxes, fontsize=FONT)
            self.ax_ = ax
            return self
        with np.errstate(divide="ignore", invalid="ignore"):
            log_lr = np.log10(tl.lrs.T)
        grid = np.ma.masked_where(~tl.trainable.T | ~np.isfinite(log_lr), log_lr)
        colours = mpl.colormaps[cmap].with_extremes(bad="#c8c8c8")
        image = ax.imshow(grid, aspect="auto", cmap=colours, interpolation="nearest",
                          extent=(0, len(tl), len(names) - 0.5, -0.5))
        bar = ax.figure.colorbar(image, ax=ax, pad=0.08)
        bar.set_label("log10 learning rate (grey: frozen)", fontsize=FONT)
        bar.ax.tick_params(labelsize=FONT_FLOOR)
        ax.set_yticks(range(len(names)), names, parse_math=False)  # literal, never TeX
        label_rows = self._mark_events(ax)
        loss_ax = ax.twinx()
        loss_ax.plot(np.arange(len(tl)), tl.loss, color="crimson", lw=0.8, label="train loss")
        valid = [(e["iter"], e.get("valid_loss")) for e in tl.epochs
                 if e.get("valid_loss") is not None]
        if valid:
            loss_ax.plot(*zip(*valid, strict=True), "o", color="black", ms=4,
                         label="valid loss")
        loss_ax.set_ylabel("loss", fontsize=FONT)
        loss_ax.tick_params(labelsize=FONT_FLOOR)
        loss_ax.legend(loc="upper right", fontsize=FONT_FLOOR)
        style(ax, "Unfreezing timeline", xlabel="iteration (all fits)",
              pad=6 + label_rows * (FONT_FLOOR + 4))
        self.ax_ = ax
        return self

    def _mark_events(self, ax) -> int:
        """A dashed line at each freeze / unfreeze, labelled above the axes; a label that
        would run into the previous one moves up a row. Returns the number of rows."""
        tl = self.timeline
        marks = sorted((e["iter"], e["kind"]) for e in tl.events
                       if e["kind"] in ("freeze", "unfreeze"))
        # Axes width in points before the layout shrinks it (conservatively), and where each
        # row's last label ends; a character is at most ~0.6 em wide.
        width = ax.get_window_extent().width * 72 / ax.figure.dpi * 0.75
        row_ends: list[float] = []
        for it, kind in marks:
            ax.axvline(it, color="black", ls="--", lw=1)
            x = it / max(len(tl), 1) * width
            row = next((r for r, end in enumerate(row_ends) if x > end), len(row_ends))
            row_ends[row:row + 1] = [x + 0.6 * FONT_FLOOR * len(kind) + 6]
            ax.annotate(kind, xy=(it, 1), xycoords=("data", "axes fraction"),
                        xytext=(2, 2 + row * (FONT_FLOOR + 4)), textcoords="offset points",
                        va="bottom", fontsize=FONT_FLOOR)
        return len(row_ends)

    def widget(self, **kwargs):
        from ..widgets.timeline import TimelineWidget  # sugar pointing up: lazy

        return TimelineWidget.from_view(self, **kwargs)
