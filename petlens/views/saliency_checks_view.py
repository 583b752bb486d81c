"""The saliency quality view: can the stored maps be trusted? (issue 17)

A table per method (medians over its maps: Spearman to the original after randomisation,
deletion / insertion AUC against a random pixel order, pointing game and mass in the object
mask when the data has masks), with a pass / warn / fail verdict per check; the deletion /
insertion curves; and the classic randomisation cascade (maps as the model's layers are
re-initialised). Numbers from ``run.saliency_checks`` (:mod:`petlens.saliency_checks_file`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..saliency_metrics import CHECKS, MEANING, THRESHOLDS
from ._plotting import FONT, FONT_FLOOR, WIDTH, axes, style

METHOD_NAMES = {"integrated_gradients": "Integrated Gradients", "saliency": "Saliency",
                "gradcam": "Grad-CAM", "occlusion": "Occlusion",
                "noise_tunnel": "SmoothGrad (IG)"}
CHECK_NAMES = {"randomisation": "Randomisation", "deletion": "Deletion",
               "insertion": "Insertion", "localisation": "Localisation"}
VERDICT_COLOURS = {"pass": "#2e7d32", "warn": "#b26a00", "fail": "#c62828", "na": "#757575"}
MESSAGES = {
    "none": "No saliency checks: this run has no saliency maps, or was recorded before "
            "petlens checked them.",
    "off": "Saliency checks are off (PetLens(saliency_checks=False)).",
    "pending": "Checking the saliency maps in the background…",
    "complete": "",
    "cancelled": "A later fit cancelled these checks: the maps checked so far are shown.",
    "failed": "The checks stopped with an error: the maps checked so far are shown.",
}


@dataclass
class SaliencyChecksView:
    """The trust checks of a run's saliency maps, scikit-learn Display style.

    >>> view = SaliencyChecksView.from_run(run)
    >>> view.status in ('none', 'off', 'pending', 'complete', 'cancelled', 'failed')
    True
    >>> view.plot().ax_.get_title()
    'Saliency quality per method'
    """

    status: str
    methods: list = field(default_factory=list)  # one dict per method (see ``state``)
    items: list = field(default_factory=list)  # one dict per checked map
    stages: list = field(default_factory=list)
    done: int = 0
    total: int = 0
    curves: dict = field(default_factory=dict)  # method -> [4, T] medians (NaN: none)
    cascade: list = field(default_factory=list)  # [{item, method, label, maps [S+1 x h x w]}]
    images: dict = field(default_factory=dict)  # item -> detail image path (cascade rows)
    vocab: list = field(default_factory=list)

    @classmethod
    def from_run(cls, run, **options):
        checks = run.saliency_checks
        if checks is None:
            return cls("none", vocab=list(run.vocab), **options)
        if checks.status == "off":
            return cls("off", vocab=list(run.vocab), **options)
        summary = checks.summary()
        methods = [_method_row(m, s) for m, s in summary.items()]
        a = checks.arrays
        curves = {}
        for method in checks.meta["methods"]:
            rows = (a["method"] == method) & (a["evidence"] >= THRESHOLDS["min_evidence"])
            if rows.any():
                curves[method] = np.nanmedian(a["curves"][rows], axis=0)
        stored = {(s.item, s.method, s.target): s.map for s in run.saliency}
        cascade = []
        for row, maps, (h, w) in zip(a["cascade_rows"], a["cascade_maps"],
                                     a["cascade_shapes"], strict=True):
            key = (str(a["items"][row]), str(a["method"][row]), str(a["target"][row]))
            original = stored.get(key)
            randomised = maps[:, :h, :w]
            if original is not None:
                original = _resized(original, (h, w))
            cascade.append({"item": key[0], "method": key[1], "label": int(a["label"][row]),
                            "original": original, "maps": randomised})
        images = {}
        details = run.detail_images
        for entry in cascade:
            path = details.get(entry["item"]) or run.thumbnail(entry["item"])
            if path is not None:
                images[entry["item"]] = path
        return cls(checks.status, methods, checks.rows(), checks.stages, checks.meta["done"],
                   checks.meta["total"], curves, cascade, images, list(run.vocab), **options)

    # -- state -----------------------------------------------------------------------
    def message(self) -> str:
        if self.status == "pending":
            return f"Checking the saliency maps in the background ({self.done} of " \
                   f"{self.total} maps done)…"
        return MESSAGES.get(self.status, "")

    def state(self) -> dict:
        """Trait values of the saliency-quality widget (plain JSON: no arrays)."""
        return {"status": self.status, "message": self.message(),
                "methods": self.methods, "stages": list(self.stages),
                "checks": [{"key": c, "name": CHECK_NAMES[c], "meaning": MEANING[c]}
                           for c in CHECKS],
                "thresholds": dict(THRESHOLDS), "done": self.done, "total": self.total,
                "has_masks": any(m.get("pointing") is not None for m in self.methods)}

    def badges(self) -> list[dict]:
        """One entry per checked map for the top-loss detail panel: ``item``, ``method``,
        ``target``, ``verdict``, ``verdicts``, ``reasons`` and the numbers."""
        return [{key: row[key] for key in ("item", "method", "target", "verdict", "reason",
                                           "verdicts", "reasons")}
                | {"numbers": _numbers(row)} for row in self.items]

    # -- pictures --------------------------------------------------------------------
    def figsize(self) -> tuple[float, float]:
        return (WIDTH, 1.0 + 0.5 * max(2, len(self.methods)))  # whole pixels at DPI

    def plot(self, ax=None):
        """The per-method table: a verdict-coloured cell per check, its numbers inside."""
        ax = axes(ax, figsize=self.figsize())
        style(ax, "Saliency quality per method")
        ax.set_axis_off()
        if not self.methods:
            ax.text(0.5, 0.5, self.message() or "No saliency maps were checked.",
                    ha="center", va="center", wrap=True, fontsize=FONT,
                    transform=ax.transAxes)
            self.ax_ = ax
            return self
        columns = ["Method", *(CHECK_NAMES[c] for c in CHECKS)]
        cells, colours = [], []
        for m in self.methods:
            texts = [m["name"]] + [_cell_text(m, c) for c in CHECKS]
            cells.append(texts)
            colours.append(["white"] + [_tint(m["verdicts"].get(c, "na")) for c in CHECKS])
        table = ax.table(cellText=cells, colLabels=columns, cellColours=colours,
                         loc="upper center", cellLoc="center")
        table.auto_set_font_size(False)
        table.set_fontsize(FONT_FLOOR)
        table.scale(1, 1.6)
        note = self.message()
        if note:
            ax.text(0.5, 0.02, note, ha="center", va="bottom", fontsize=FONT_FLOOR,
                    transform=ax.transAxes)
        self.ax_ = ax
        return self

    def plot_curves(self, ax=None):
        """Median deletion and insertion curves per method, against the random order's."""
        ax = axes(ax, figsize=(WIDTH, 4))
        style(ax, "Deletion and insertion (median over the maps)",
              xlabel="share of pixels removed / revealed",
              ylabel="probability of the explained class")
        random_drawn = False
        for i, (method, curve) in enumerate(self.curves.items()):
            x = np.linspace(0, 1, curve.shape[-1])
            colour = f"C{i}"
            name = METHOD_NAMES.get(method, method)
            ax.plot(x, curve[0], color=colour, label=f"{name}: deletion")
            ax.plot(x, curve[1], color=colour, ls="--", label=f"{name}: insertion")
            if not random_drawn:
                ax.plot(x, curve[2], color="grey", label="random order: deletion")
                ax.plot(x, curve[3], color="grey", ls="--", label="random order: insertion")
                random_drawn = True
        if not self.curves:
            ax.text(0.5, 0.5, self.message() or "No informative map (see the table)",
                    ha="center", va="center", transform=ax.transAxes, fontsize=FONT)
        else:
            ax.legend(fontsize=FONT_FLOOR, loc="upper left", bbox_to_anchor=(1.01, 1))
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1.02)
        self.ax_ = ax
        return self

    def plot_cascade(self, fig=None, *, method: str | None = None, rows: int = 4):
        """The randomisation cascade: rows are items, columns the original map then each
        stage (the head, then body groups from the top, re-initialised cumulatively)."""
        entries = [e for e in self.cascade if method is None or e["method"] == method][:rows]
        n_cols = 1 + len(self.stages)
        if fig is None:
            import matplotlib.pyplot as plt

            fig = plt.figure(figsize=(min(WIDTH, 1.8 * (n_cols + 1)),
                                      1.8 * max(1, len(entries)) + 0.6),
                             dpi=100, layout="constrained")
        if not entries:
            ax = fig.add_subplot()
            ax.set_axis_off()
            ax.text(0.5, 0.5, self.message() or "No randomised maps were kept",
                    ha="center", va="center", fontsize=FONT)
            self.fig_ = fig
            return self
        axs = fig.subplots(len(entries), n_cols, squeeze=False)
        titles = ["original", *(f"+ {s}" if i else s for i, s in enumerate(self.stages))]
        for r, entry in enumerate(entries):
            image = self._image(entry["item"], entry["maps"].shape[1:])
            maps = [entry["original"], *entry["maps"]]
            for c, m in enumerate(maps):
                ax = axs[r, c]
                ax.set_xticks([])
                ax.set_yticks([])
                if image is not None:
                    ax.imshow(image)
                if m is not None:
                    heat = np.asarray(m, np.float32) / 255
                    ax.imshow(heat, cmap="inferno", alpha=0.75 * heat, vmin=0, vmax=1)
                if r == 0:
                    ax.set_title(titles[c], fontsize=FONT_FLOOR)
                if c == 0:
                    name = METHOD_NAMES.get(entry["method"], entry["method"])
                    ax.set_ylabel(f"{_short(entry['item'])}\n{name}", fontsize=FONT_FLOOR)
        fig.suptitle("Model-parameter randomisation (cascading)", fontsize=FONT)
        self.fig_ = fig
        return self

    def _image(self, item: str, shape):
        path = self.images.get(item)
        if path is None:
            return None
        from PIL import Image

        with Image.open(path) as img:
            return np.asarray(img.convert("RGB").resize((shape[1], shape[0])))

    def widget(self, **kwargs):
        from ..widgets.saliency_checks import SaliencyChecksWidget  # sugar pointing up: lazy

        return SaliencyChecksWidget.from_view(self, **kwargs)


def _method_row(method: str, s: dict) -> dict:
    stage = THRESHOLDS["randomisation_stage"]
    spearman = s.get("spearman") or []
    ssim = s.get("ssim") or []
    return {"method": method, "name": METHOD_NAMES.get(method, method),
            "state": s.get("state", "done"), "verdict": s.get("verdict", "na"),
            "verdicts": s.get("verdicts", dict.fromkeys(CHECKS, "na")),
            "reasons": s.get("reasons", {c: s.get("reason", "") for c in CHECKS}),
            "reason": s.get("reason", ""),
            "spearman": spearman[stage] if len(spearman) > stage else None,
            "ssim": ssim[stage] if len(ssim) > stage else None,
            "spearman_stages": spearman,
            **{k: s.get(k) for k in ("deletion_auc", "random_deletion_auc", "insertion_auc",
                                     "random_insertion_auc", "pointing", "mass", "area")},
            "n_maps": s.get("n_maps", 0), "n_informative": s.get("n_informative", 0)}


def _numbers(row: dict) -> dict:
    stage = THRESHOLDS["randomisation_stage"]
    spearman, ssim = row["spearman"], row["ssim"]
    return {"spearman": spearman[stage] if len(spearman) > stage else None,
            "ssim": ssim[stage] if len(ssim) > stage else None,
            **{f"{k}_auc": v for k, v in row["aucs"].items()},
            "evidence": row["evidence"], **row["localisation"]}


def _cell_text(m: dict, check: str) -> str:
    verdict = m["verdicts"].get(check, "na")
    if m["state"] != "done":
        return m["state"] if m["state"] != "skipped" else "not computable"

    def f(v, digits=2):
        return "–" if v is None else f"{v:.{digits}f}"

    if check == "randomisation":
        detail = f"ρ {f(m['spearman'])}"
    elif check == "deletion":
        detail = f"{f(m['deletion_auc'], 3)} vs {f(m['random_deletion_auc'], 3)}"
    elif check == "insertion":
        detail = f"{f(m['insertion_auc'], 3)} vs {f(m['random_insertion_auc'], 3)}"
    else:
        detail = ("no masks" if m["mass"] is None
                  else f"{f(m['mass'])} in mask vs {f(m['area'])}")
    return f"{'n/a' if verdict == 'na' else verdict}: {detail}"


def _tint(verdict: str) -> str:
    return {"pass": "#dff0d8", "warn": "#fcf0d2", "fail": "#f7d6d6"}.get(verdict, "#eeeeee")


def _resized(m: np.ndarray, shape) -> np.ndarray:
    from PIL import Image

    if m.shape == tuple(shape):
        return m
    return np.asarray(Image.fromarray(m).resize((shape[1], shape[0]), Image.BILINEAR))


def _short(name: str, limit: int = 22) -> str:
    return name if len(name) <= limit else name[:limit - 1] + "…"


def saliency_check_badges(run, items) -> list[dict]:
    """The badge of every checked map of ``run`` whose item is in ``items`` (the predictions'
    item ids): ``{index, method, target, verdict, reason, verdicts, reasons, numbers}``,
    ``index`` the item's position in ``items`` (the top-loss view's trait)."""
    checks = run.saliency_checks
    if checks is None or not len(checks):
        return []
    position = {str(item): i for i, item in enumerate(items)}
    out = []
    for row in checks.rows():
        if row["item"] in position:
            out.append({"index": position[row["item"]], "method": row["method"],
                        "target": row["target"], "verdict": row["verdict"],
                        "reason": row["reason"], "verdicts": row["verdicts"],
                        "reasons": row["reasons"], "numbers": _numbers(row)})
    return out


def with_saliency_checks(view, run):
    """A top-loss ``view`` carrying its maps' trust badges (``saliency_checks``)."""
    from dataclasses import replace

    return replace(view, saliency_checks=saliency_check_badges(run, view.items))
