"""The embeddings view: every validation item on one 2-D map of the model's own features,
and each item's nearest training images ("it says Birman: these look most like it")."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import PetLensError
from ._plotting import FONT, FONT_FLOOR, TITLE, WIDTH, axes, style

COLOR_BY = ("actual", "predicted", "correct", "loss", "label_quality")
NO_EMBEDDINGS = "recorded without embeddings: use PetLens(embeddings=True)"
LEGEND_MAX = 40  # classes named in the static picture's legend; above, a note says so
# validation neighbours' thumbnails sent (over a widget's comm, copies of ``thumbs``): those
# of the 16 top losses' 8 neighbours
NEIGHBOUR_THUMBS = 16 * 8
# the largest traits, read only once an item is clicked: an offline page sets them after its
# first paint (standalone_page's ``later``)
NEIGHBOUR_TRAITS = ("neighbour_index", "neighbour_distance", "neighbour_items",
                    "neighbour_labels", "neighbour_thumbs")


def _empty(dtype, *shape) -> np.ndarray:
    return np.zeros((0, *shape), dtype=dtype)


@dataclass
class EmbeddingsView:
    """The validation items of a run placed by UMAP on their penultimate features,
    scikit-learn Display style.

    ``xy`` is [items x 2] (empty, with ``notice`` saying why, for a run recorded without
    embeddings); item ``i`` is the predictions' item ``i`` (the top-loss browser's index).

    >>> from petlens import load_run
    >>> from petlens.demo.scale_run import write_run
    >>> run = load_run(write_run(tmp, n_classes=4, n_items=40, embeddings=16, n_train=60))
    >>> view = EmbeddingsView.from_run(run)
    >>> view.xy.shape, view.neighbour_source, view.notice, len(view.neighbours(0))
    ((40, 2), 'train', '', 8)
    >>> view.plot().ax_.get_title(loc="left")
    'Embeddings (UMAP), coloured by actual class'
    """

    vocab: list
    items: list
    targets: np.ndarray
    decoded: np.ndarray
    losses: np.ndarray
    xy: np.ndarray = field(default_factory=lambda: _empty(np.float32, 2))
    projection_info: dict = field(default_factory=dict)
    label_quality: np.ndarray = field(default_factory=lambda: _empty(np.float32))
    thumbs: dict = field(default_factory=dict)  # item index -> thumbnail path
    neighbour_index: np.ndarray = field(default_factory=lambda: _empty(np.int32, 0))
    neighbour_distance: np.ndarray = field(default_factory=lambda: _empty(np.float32, 0))
    neighbour_items: list = field(default_factory=list)
    neighbour_labels: np.ndarray = field(default_factory=lambda: _empty(np.int32))
    neighbour_source: str = "train"  # 'train', or 'valid': other validation items
    neighbour_thumbs: dict = field(default_factory=dict)  # neighbour index -> thumbnail path
    # the neighbours' folder and the validation items' folder on this machine (a live widget
    # reads their images there); never sent by state(): a path of the user's machine stays
    # out of the offline report
    neighbour_root: str | None = None
    item_root: str | None = None
    notice: str = ""  # why there is no map
    color_by: str = "actual"  # 'actual' | 'predicted' | 'correct' | 'loss' | 'label_quality'
    selected_item: int | None = None  # the item whose neighbours are shown

    @classmethod
    def from_run(cls, run, *, compute: bool = True, **options):
        """The map and neighbours of ``run``'s latest validation pass (computed at the first
        call, then read from ``projection.npz``; ``compute=False``: only a cached map, and no
        label quality, as a live dashboard refreshes in the training thread); ``options``:
        ``color_by``, ``selected_item``."""
        preds = run._require_preds()
        view = cls(list(run.vocab), [str(i) for i in preds.items],
                   preds.targets.astype(np.int32), preds.decoded.astype(np.int32),
                   preds.losses.astype(np.float32), **options)
        if view.color_by not in COLOR_BY:
            raise PetLensError(f"color_by={view.color_by!r}: expected one of {COLOR_BY}")
        try:
            emb = run.embeddings
            running = bool(run.phases) and run.phases[-1]["status"] == "running"
            projection = (None if emb is None else
                          run.projection(compute=compute and not running))
        except PetLensError as e:  # a bad file is refused: the panel says which, not empty
            view.notice = f"Embeddings not shown: {e}"
            return view
        if emb is None:  # the notice, no data (nor thumbnails) to send
            view.notice = (f"No embeddings: {run.embeddings_skipped}" if run.embeddings_skipped
                           else f"No embeddings: this run was {NO_EMBEDDINGS}")
            return view
        view.thumbs = {i: path for i, item in enumerate(view.items)
                       if (path := run.thumbnail(item)) is not None}
        view.item_root = run.manifest["data"].get("item_root")
        if compute:
            view.label_quality = _label_quality(run, len(view.items))
        # while a fit runs (a live dashboard refreshes at every epoch end, in the training
        # thread) only a cached map is shown: UMAP waits for the fit's end
        if projection is None:
            view.notice = (f"Embeddings of {len(emb):,} items recorded: their map is drawn when "
                           "the fit ends")
            return view
        view.xy, view.projection_info = projection.xy, _info(projection.info)
        view.neighbour_index = projection.neighbour_index
        view.neighbour_distance = projection.neighbour_distance
        view.neighbour_source = projection.neighbour_source
        if projection.neighbour_source == "train":
            view.neighbour_items = [str(i) for i in emb.train_items]
            view.neighbour_labels = emb.train_labels.astype(np.int32)
            where = {item: i for i, item in enumerate(view.neighbour_items)}
            view.neighbour_thumbs = {where[item]: path for item, path in emb.train_thumbs.items()
                                     if item in where}
            view.neighbour_root = run.manifest["artefacts"]["embeddings"].get("train_root")
        else:  # the other validation items: their labels, and (as the recorder does for
            # training items) the thumbnails of the top losses' neighbours
            view.neighbour_items = list(view.items)
            view.neighbour_labels = view.targets
            view.neighbour_thumbs = dict(view.thumbs)
            view.neighbour_root = view.item_root
            view = view.keep_thumbs(NEIGHBOUR_THUMBS)
        return view

    def neighbours(self, index: int) -> list[dict]:
        """Item ``index``'s nearest neighbours, closest first: ``{"index"`` (into
        ``neighbour_items``), ``"item"``, ``"label"`` (class name), ``"distance"}``."""
        if not 0 <= index < len(self.items):
            raise PetLensError(f"item {index} is not one of the {len(self.items)} items")
        if not len(self.neighbour_index):
            return []
        return [{"index": int(j), "item": self.neighbour_items[j],
                 "label": self.vocab[int(self.neighbour_labels[j])],
                 "distance": float(self.neighbour_distance[index, n])}
                for n, j in enumerate(self.neighbour_index[index]) if j >= 0]

    def state(self) -> dict:
        """Trait values of the embeddings widget (arrays still numpy, thumbnails as JPEG
        bytes)."""
        classes = np.int16 if len(self.vocab) < 2**15 else np.int32
        return {
            "vocab": self.vocab, "items": list(self.items),
            "xy": np.asarray(self.xy, np.float32).reshape(-1, 2),
            "projection_info": dict(self.projection_info),
            # classes as int16 below 32,768 classes, label quality (a colour, 0..1) as
            # float16: a quarter less page to parse before the first paint at 50,000 items
            "targets": self.targets.astype(classes), "decoded": self.decoded.astype(classes),
            "losses": self.losses.astype(np.float32),
            "label_quality": self.label_quality.astype(np.float16),
            "thumbs": [{"index": int(i), "jpeg": path.read_bytes()}
                       for i, path in sorted(self.thumbs.items())],
            # int16 while the neighbours fit (half the bytes of the page's largest array)
            "neighbour_index": self.neighbour_index.astype(
                np.int16 if len(self.neighbour_items) < 2**15 else np.int32),
            # float16 on the wire (3 significant digits, as shown): 0.8 MB less at 50,000 x 8
            "neighbour_distance": self.neighbour_distance.astype(np.float16),
            "neighbour_items": list(self.neighbour_items),
            "neighbour_labels": self.neighbour_labels.astype(classes),
            "neighbour_source": self.neighbour_source,
            "neighbour_thumbs": [{"index": int(i), "jpeg": path.read_bytes()}
                                 for i, path in sorted(self.neighbour_thumbs.items())],
            "neighbour_images": False,  # the live widgets set it where the kernel reads them
            "notice": self.notice, "color_by": self.color_by,
            "selected_item": self.selected_item,
            "selection": None, "filter_actual": None, "filter_predicted": None,
            "item_selection": None,
        }

    def keep_thumbs(self, n: int) -> EmbeddingsView:
        """A copy keeping at most ``n`` neighbour thumbnails: those of the highest-loss
        items' neighbours first (the report drops them first to stay within its budget)."""
        from dataclasses import replace

        if not len(self.neighbour_index) or not self.neighbour_thumbs:
            return replace(self, neighbour_thumbs={})
        order = self.neighbour_index[np.argsort(-self.losses, kind="stable")].ravel()
        shown = order[np.isin(order, list(self.neighbour_thumbs))]
        _, first = np.unique(shown, return_index=True)
        return replace(self, neighbour_thumbs={int(j): self.neighbour_thumbs[int(j)]
                                               for j in shown[np.sort(first)][:n]})

    def without(self, what: str) -> EmbeddingsView:
        """A copy without its ``'neighbours'`` or without its ``'map'`` (then a notice says
        so): what the report leaves out last to stay within its size budget."""
        from dataclasses import replace

        empty = dict(neighbour_index=_empty(np.int32, 0), neighbour_distance=_empty(
            np.float32, 0), neighbour_items=[], neighbour_labels=_empty(np.int32),
            neighbour_thumbs={})
        if what == "map":
            empty.update(xy=_empty(np.float32, 2), thumbs={}, label_quality=_empty(np.float32),
                         notice="The embeddings map was left out of this report to keep it "
                                "within its size budget (raise max_mb, or see run.show())")
        return replace(self, **empty)

    def figsize(self) -> tuple[float, float]:
        return (WIDTH, 6.0) if len(self.xy) else (WIDTH, 1.5)

    def plot(self, ax=None, *, max_legend: int = LEGEND_MAX):
        """The map as a scatter coloured by ``color_by`` (classes: a legend beside it, the
        ``max_legend`` largest classes named, a note for the rest; loss and label quality:
        a colour bar)."""
        ax = axes(ax, figsize=self.figsize())
        self.ax_ = ax
        title = (f"Embeddings ({self.projection_info.get('method', 'umap').upper()}), "
                 f"coloured by {_COLOR_TITLES[self.color_by]}")
        if not len(self.xy):
            style(ax, "Embeddings")
            ax.text(0.5, 0.5, self.notice or "No embeddings", ha="center", va="center",
                    wrap=True, transform=ax.transAxes, fontsize=FONT, parse_math=False)
            ax.set_axis_off()
            return self
        x, y = self.xy[:, 0], self.xy[:, 1]
        size = float(np.clip(12000 / max(len(x), 1), 1.0, 30.0))
        if self.color_by in ("actual", "predicted"):
            self._plot_classes(ax, self.targets if self.color_by == "actual" else self.decoded,
                               size, max_legend)
        elif self.color_by == "correct":
            wrong = self.targets != self.decoded
            for mask, name, color in ((~wrong, "correct", "#1f77b4"), (wrong, "wrong",
                                                                       "#d62728")):
                ax.scatter(x[mask], y[mask], s=size, c=color, label=f"{name} ({mask.sum()})",
                           linewidths=0)
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=FONT_FLOOR)
        else:
            values = self.losses if self.color_by == "loss" else self.label_quality
            if len(values) != len(x):
                title += " (not available)"
                values = np.zeros(len(x), np.float32)
            order = np.argsort(values if self.color_by == "loss" else -values, kind="stable")
            points = ax.scatter(x[order], y[order], s=size, c=values[order], cmap="viridis"
                                if self.color_by == "loss" else "viridis_r", linewidths=0)
            bar = ax.figure.colorbar(points, ax=ax, fraction=0.04, pad=0.01)
            bar.set_label(_COLOR_TITLES[self.color_by], fontsize=FONT_FLOOR)
            bar.ax.tick_params(labelsize=FONT_FLOOR)
        style(ax, "")
        ax.set_title(title, fontsize=TITLE, loc="left", parse_math=False)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_aspect("equal", adjustable="box")
        n = len(x)
        if n < 5:
            ax.set_xlabel(f"only {n} item{'s' if n != 1 else ''}: their first two principal "
                          "components", fontsize=FONT_FLOOR)
        return self

    def _plot_classes(self, ax, classes: np.ndarray, size: float, max_legend: int) -> None:
        import matplotlib as mpl

        n_classes = len(self.vocab)
        cmap = mpl.colormaps["tab10" if n_classes <= 10 else "tab20"]
        colours = cmap(np.arange(n_classes) % cmap.N)
        x, y = self.xy[:, 0], self.xy[:, 1]
        counts = np.bincount(classes, minlength=n_classes)
        present = np.flatnonzero(counts)
        named = [int(c) for c in (present if len(present) <= max_legend else  # vocab order
                                  np.argsort(-counts, kind="stable")[:max_legend])]
        ax.scatter(x, y, s=size, c=colours[classes], linewidths=0)
        handles = [mpl.lines.Line2D([], [], marker="o", ls="", color=colours[c],
                                    label=f"{_cut(self.vocab[c], 24)} ({counts[c]})")
                   for c in named]
        hidden = int((counts > 0).sum()) - len(named)
        if hidden > 0:
            handles.append(mpl.lines.Line2D([], [], ls="", label=f"… {hidden} more classes "
                                            f"({cmap.N} colours repeat)"))
        ncol = 1 if len(handles) <= 20 else 2
        legend = ax.figure.legend(handles=handles, loc="outside right upper",
                                  fontsize=FONT_FLOOR, ncol=ncol, handletextpad=0.2,
                                  columnspacing=0.6, frameon=False)
        self.legend_ = legend
        for text in legend.get_texts():
            text.set_parse_math(False)  # class names are literal text, never TeX

    def plot_neighbours(self, index: int, fig=None):
        """Item ``index`` and its nearest training images (or validation items), each with
        its class and cosine distance; ``self.fig_`` holds the figure."""
        from PIL import Image

        rows = self.neighbours(index)
        n = 1 + len(rows)
        if fig is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(WIDTH, WIDTH / max(n, 5) + 1.2), layout="constrained")
        tiles = fig.subplots(1, max(n, 5), squeeze=False)[0]
        label, predicted = self.vocab[self.targets[index]], self.vocab[self.decoded[index]]
        limit = max(6, int(WIDTH / len(tiles) * 72 / (0.6 * FONT_FLOOR)))  # characters a tile
        shown = [(self.thumbs.get(index), f"this item\n{_cut('actual ' + label, limit)}\n"
                                          f"{_cut('predicted ' + predicted, limit)}")]
        shown += [(self.neighbour_thumbs.get(r["index"]),
                   f"{_cut(r['label'], limit)}\ndistance {r['distance']:.2f}") for r in rows]
        for tile, (path, caption) in zip(tiles, shown, strict=False):
            if path is not None:
                with Image.open(path) as img:
                    tile.imshow(np.asarray(img.convert("RGB")))
            else:
                tile.text(0.5, 0.5, "no\nthumbnail", ha="center", va="center",
                          fontsize=FONT_FLOOR, color="0.4", transform=tile.transAxes)
            tile.set_title(caption, fontsize=FONT_FLOOR, parse_math=False)
        for tile in tiles:
            tile.set_xticks([])
            tile.set_yticks([])
        for tile in tiles[n:]:
            tile.set_axis_off()
        where = ("training images" if self.neighbour_source == "train"
                 else "validation items (only validation features were recorded)")
        fig.suptitle(f"{self.items[index]}: it says {predicted}; the {where} that look most "
                     "like it" if rows else f"{self.items[index]}: no neighbours stored",
                     fontsize=FONT, wrap=True)
        self.fig_ = fig
        return self

    def widget(self, **kwargs):
        from ..widgets.embeddings import EmbeddingsWidget  # sugar pointing up: lazy

        return EmbeddingsWidget.from_view(self, **kwargs)


_COLOR_TITLES = {"actual": "actual class", "predicted": "predicted class",
                 "correct": "correct / wrong", "loss": "loss", "label_quality": "label quality"}


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _info(info: dict) -> dict:
    """The contract's ``projection_info`` fields (and the per-step seconds)."""
    keys = ("method", "pca_dims", "n_neighbors", "min_dist", "seed", "n_items", "n_features",
            "seconds", "cached")
    return {**{key: info.get(key) for key in keys},
            "timings": {k: round(float(v), 3) for k, v in (info.get("timings") or {}).items()}}


def _label_quality(run, n: int) -> np.ndarray:
    """cleanlab's label quality per item (``run.label_issues``), or empty when it cannot be
    computed (one class, too few items...)."""
    try:
        scores = np.asarray(run.label_issues.scores, np.float32)
    except Exception:  # any failure leaves the colouring out, never the view
        return _empty(np.float32)
    return scores if len(scores) == n else _empty(np.float32)
