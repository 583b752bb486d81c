"""The top-loss browser's data: every validation item with its loss and probabilities."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ._plotting import axes

SORTS = ("loss", "prob_actual")  # largest loss first, lowest p(actual) first


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
    sort: str = "loss"  # or 'prob_actual' (lowest first)
    page_size: int = 24

    @classmethod
    def from_run(cls, run, **options):
        """Every validation item of ``run``'s latest predictions; ``options``: ``sort``,
        ``page_size``."""
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
        view = cls(list(run.vocab), preds.items, preds.targets, preds.decoded, preds.losses,
                   preds.prob_actual(), preds.prob_pred(), thumbs,
                   saliency=saliency, **options)
        info = run.saliency_info  # offline, only what is stored can be shown
        return view.offering(info["methods"] if info else [])

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

    def caption(self, index: int) -> str:
        """fastai's top-loss caption: predicted / actual / loss / probability of actual."""
        return (f"{self.vocab[self.decoded[index]]} / {self.vocab[self.targets[index]]}\n"
                f"{self.losses[index]:.2f} / {self.prob_actual[index]:.2f}")

    def state(self) -> dict:
        """Trait values of the top-loss widget (thumbnails as JPEG bytes)."""
        return {
            "vocab": self.vocab, "items": [str(i) for i in self.items],
            "targets": self.targets.astype(np.int32), "decoded": self.decoded.astype(np.int32),
            "losses": self.losses.astype(np.float32),
            "prob_actual": self.prob_actual.astype(np.float32),
            "prob_pred": self.prob_pred.astype(np.float32),
            "thumbs": [{"index": int(i), "jpeg": path.read_bytes()}
                       for i, path in sorted(self.thumbs.items())],
            "selection": None, "filter_actual": None, "filter_predicted": None,
            "sort": self.sort, "page": 0, "page_size": self.page_size, "selected_item": None,
            "live": False, "saliency_methods": list(self.saliency_methods),
            "saliency": list(self.saliency),
        }

    def plot(self, ax=None, *, k: int = 9, columns: int = 3):
        """The ``k`` top losses as a grid of thumbnails captioned like fastai's
        ``plot_top_losses`` (prediction / actual / loss / probability of actual)."""
        from PIL import Image

        ax = axes(ax, figsize=(8, 8))
        top = [i for i in self.top(k)]
        tile = 128
        rows = max(1, -(-len(top) // columns))
        mosaic = Image.new("RGB", (columns * tile, rows * (tile + 36)), "white")
        for n, index in enumerate(top):
            path = self.thumbs.get(int(index))
            if path is not None:
                with Image.open(path) as img:
                    img = img.convert("RGB")
                    img.thumbnail((tile, tile))
                    mosaic.paste(img, ((n % columns) * tile, (n // columns) * (tile + 36) + 36))
        ax.imshow(np.asarray(mosaic))
        for n, index in enumerate(top):
            ax.text((n % columns + 0.5) * tile, (n // columns) * (tile + 36) + 34,
                    self.caption(int(index)), ha="center", va="bottom", fontsize=7)
        ax.set_axis_off()
        ax.set_title("Prediction / Actual / Loss / Probability")
        self.ax_ = ax
        return self

    def widget(self, **kwargs):
        from ..widgets.top_losses import TopLossesWidget  # sugar pointing up: lazy

        return TopLossesWidget.from_view(self, **kwargs)
