"""The unfreezing timeline: per-group learning rates, frozen state and losses over time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._plotting import axes


def epoch_errors(run) -> list[dict]:
    """Error rate at the end of each epoch whose predictions were kept (from the manifest:
    no predictions file is opened)."""
    return [{"iter": e["iter"], "phase": e["phase"], "epoch": e["epoch"],
             "error_rate": e.get("error_rate")} for e in run.pred_sets]


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
            "phase": tl.phase.astype(np.int32), "epoch": tl.epoch.astype(np.int32),
            "loss": tl.loss.astype(np.float32), "lrs": tl.lrs.astype(np.float32),
            "moms": tl.moms.astype(np.float32),
            "trainable": tl.trainable.astype(np.uint8),
            "phases": self.phases, "epochs": tl.epochs, "events": tl.events,
            "epoch_errors": self.errors if len(self.errors) > len(self.phases) else [],
            "cursor": max(len(tl) - 1, 0), "playing": False, "speed": self.speed,
        }

    def plot(self, ax=None, *, cmap: str = "viridis"):
        """Layer groups (rows) coloured by log learning rate, grey while frozen; train loss
        on a twin axis; phase boundaries as dashed lines."""
        import matplotlib as mpl

        ax = axes(ax, figsize=(9, 3.5))
        tl = self.timeline
        names = [f"{g['name']} ({g['n_params'] / 1e6:.1f}M)" for g in self.layer_groups]
        if not len(tl):
            ax.text(0.5, 0.5, "No training iterations recorded", ha="center",
                    transform=ax.transAxes)
            self.ax_ = ax
            return self
        with np.errstate(divide="ignore", invalid="ignore"):
            log_lr = np.log10(tl.lrs.T)
        grid = np.ma.masked_where(~tl.trainable.T | ~np.isfinite(log_lr), log_lr)
        colours = mpl.colormaps[cmap].with_extremes(bad="#c8c8c8")
        image = ax.imshow(grid, aspect="auto", cmap=colours, interpolation="nearest",
                          extent=(0, len(tl), len(names) - 0.5, -0.5))
        ax.figure.colorbar(image, ax=ax, label="log10 learning rate (grey: frozen)", pad=0.08)
        ax.set_yticks(range(len(names)), names)
        for event in tl.events:
            if event["kind"] in ("freeze", "unfreeze"):
                ax.axvline(event["iter"], color="black", ls="--", lw=1)
                ax.text(event["iter"], -0.5, f" {event['kind']}", va="bottom", fontsize=8)
        loss_ax = ax.twinx()
        loss_ax.plot(np.arange(len(tl)), tl.loss, color="crimson", lw=0.8, label="train loss")
        valid = [(e["iter"], e.get("valid_loss")) for e in tl.epochs
                 if e.get("valid_loss") is not None]
        if valid:
            loss_ax.plot(*zip(*valid, strict=True), "o", color="black", ms=4,
                         label="valid loss")
        loss_ax.set_ylabel("loss")
        loss_ax.legend(loc="upper right", fontsize="small")
        ax.set_xlabel("iteration (all fits)")
        ax.set_title("Unfreezing timeline")
        self.ax_ = ax
        return self

    def widget(self, **kwargs):
        from ..widgets.timeline import TimelineWidget  # sugar pointing up: lazy

        return TimelineWidget.from_view(self, **kwargs)
