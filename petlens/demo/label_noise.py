"""The label-issue loop on synthetic pets with known wrong labels: train, let cleanlab flag,
measure against the truth, apply the true fixes to a copy, train again.

Used by ``benchmarks/label_noise.py`` (the numbers in ``benchmarks/README.md``) and
``tests/test_label_noise.py`` (a smaller run).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
from fastai.vision.all import (
    CategoryBlock,
    DataBlock,
    FuncSplitter,
    ImageBlock,
    ProgressCallback,
    RegexLabeller,
    Resize,
    aug_transforms,
    error_rate,
    get_image_files,
    resnet18,
    set_seed,
    using_attr,
    vision_learner,
)

from ..callback import PetLens
from .synthetic import choose_breeds, flipped_labels, make_pets

__all__ = ["flag_quality", "train_run", "true_fixes", "validation_names"]


def validation_names(images: Path, valid_pct: float, seed: int) -> set[str]:
    """A seeded random ``valid_pct`` of the image file names."""
    names = sorted(p.name for p in Path(images).glob("*.jpg"))
    rng = np.random.default_rng(seed)
    return set(rng.choice(names, round(valid_pct * len(names)), replace=False).tolist())


def train_run(images: Path, valid: set[str], runs: Path, *, vocab, item_size=56, size=48,
              bs=32, epochs=12, base_lr=1e-2, seed=0, name=None):
    """Chapter 5's DataBlock (labels from file names) with ``valid`` as the validation set,
    resnet18 from scratch, ``fine_tune(epochs)`` recorded by PetLens; returns the lens."""
    set_seed(seed, reproducible=True)
    block = DataBlock(blocks=(ImageBlock, CategoryBlock(vocab=vocab)), get_items=get_image_files,
                      splitter=FuncSplitter(lambda p: p.name in valid),
                      get_y=using_attr(RegexLabeller(r"(.+)_\d+.jpg$"), "name"),
                      item_tfms=Resize(item_size),
                      batch_tfms=aug_transforms(size=size, min_scale=0.75))
    dls = block.dataloaders(images, bs=bs, num_workers=0)
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate,
                           path=runs / "learn")
    learn.remove_cb(ProgressCallback)
    learn.logger = lambda *args: None
    lens = PetLens(path=runs, name=name, saliency=None, thumbs=False)
    learn.add_cb(lens)
    learn.fine_tune(epochs, base_lr=base_lr, freeze_epochs=1, lr_mult=3)
    return lens


def flag_quality(run, flipped: dict[str, str], top: int | None = None) -> dict:
    """Precision and recall of cleanlab's flags against the truly flipped validation items
    (``top``: of the ``top`` lowest label qualities instead, flagged or not)."""
    issues = run.label_issues
    items = [str(i) for i in issues.items]
    truth = np.array([item in flipped for item in items])
    flags = issues.flags.copy()
    if top is not None:  # the ranking alone: the ``top`` lowest label qualities
        flags = np.zeros(len(flags), bool)
        flags[issues.ranked()[:top]] = True
    n_flagged = int(flags.sum())
    return {"items": len(items), "flipped": int(truth.sum()), "flagged": n_flagged,
            "true_flags": int((flags & truth).sum()),
            "precision": float((flags & truth).sum() / n_flagged) if n_flagged else float("nan"),
            "recall": float((flags & truth).sum() / truth.sum()) if truth.any() else float("nan"),
            "base_rate": float(truth.mean())}


def true_fixes(run, flipped: dict[str, str]) -> list[dict]:
    """``relabel`` decisions putting each flipped validation item back to its true breed."""
    from ..decisions import now

    return [{"item": str(item), "action": "relabel", "label": flipped[str(item)],
             "decided": now(), "by": "truth"}
            for item in run.preds.items if str(item) in flipped]


def loop(root: Path, *, n_classes=6, per_class=50, size=64, label_noise=0.1, valid_pct=0.3,
         seed=0, size_px=48, **train) -> dict:
    """The whole loop (``size``: the data's images, ``size_px``: training); returns the
    measurements."""
    root = Path(root)
    data = make_pets(root / "noisy", n_classes=n_classes, per_class=per_class, size=size,
                     seed=seed, label_noise=label_noise)
    flipped, vocab = flipped_labels(data), choose_breeds(n_classes)
    valid = validation_names(data / "images", valid_pct, seed)
    train = dict(train, size=size_px)
    first = train_run(data / "images", valid, root / "runs", vocab=vocab, name="noisy",
                      seed=seed, **train).run
    result = {"flags": flag_quality(first, flipped),
              "top": flag_quality(first, flipped, top=len([v for v in valid if v in flipped])),
              "error_noisy_labels": first.error_rate,
              "error_true_labels": _true_error(first, flipped, vocab)}
    fixed = root / "fixed"
    shutil.copytree(data, fixed)
    first.fixes.update(true_fixes(first, flipped))
    plan = first.fixes.apply(fixed / "images", echo=lambda *_: None)
    renamed = {Path(m.source).name: Path(m.target).name for m in plan.moves}
    second = train_run(fixed / "images", {renamed.get(v, v) for v in valid}, root / "runs",
                       vocab=vocab, name="fixed", seed=seed, **train).run
    result["error_after_fixes"] = second.error_rate
    result["fixed_items"] = len(plan.moves)
    return result


def _true_error(run, flipped, vocab) -> float:
    preds = run.preds
    true = np.array([vocab.index(flipped.get(str(i), vocab[t]))
                     for i, t in zip(preds.items, preds.targets.tolist(), strict=True)])
    return float(np.mean(preds.decoded != true))
