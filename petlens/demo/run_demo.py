"""``petlens demo``: chapter 5's workflow on the built-in synthetic pets (or real Pets).

make (or reuse) the data -> DataBlock with presizing -> ``vision_learner`` ->
``lr_find`` -> ``fine_tune`` at the suggested rate, all recorded by :class:`PetLens`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import PetLensError
from ..run_folder import RUNS_FOLDER
from .recipe import DEFAULT_DATA, DEMO_RECIPE, pets_dataloaders
from .synthetic import make_pets


def cache_dir() -> Path:
    """Where the synthetic data set is cached (``$PETLENS_CACHE`` or ``~/.cache/petlens``)."""
    return Path(os.environ.get("PETLENS_CACHE", Path.home() / ".cache" / "petlens"))


def resolve_data(data=None, *, download=False, n_classes=None, per_class=None) -> Path:
    """The folder holding ``images/``: real Pets, a user folder, or the synthetic set."""
    if download:
        from fastai.data.external import URLs, untar_data

        return Path(untar_data(URLs.PETS))
    if data is not None:
        path = Path(data)
        if not (path / "images").is_dir():
            raise PetLensError(f"--data {path}: expected a folder with an 'images' folder in "
                               "Oxford-IIIT Pets layout (e.g. from untar_data(URLs.PETS))")
        return path
    options = dict(DEFAULT_DATA)
    options.update({k: v for k, v in (("n_classes", n_classes), ("per_class", per_class))
                    if v is not None})
    name = "synthetic-pets-{n_classes}x{per_class}-{size}px-seed{seed}".format(**options)
    return make_pets(cache_dir() / name, **options)


def pretrained_available(arch_name: str) -> bool:
    """True if torchvision's default weights for ``arch_name`` are already on disk."""
    import torch
    import torchvision

    try:
        url = torchvision.models.get_model_weights(arch_name).DEFAULT.url
    except (ValueError, AttributeError):
        return False
    return (Path(torch.hub.get_dir()) / "checkpoints" / Path(url).name).is_file()


def run_demo(*, out=RUNS_FOLDER, data=None, download=False, arch=None, epochs=None,
             size=None, n_classes=None, per_class=None, echo=print):
    """Train chapter 5's recipe with PetLens recording; returns ``(learn, lens)``."""
    from fastai.vision import models
    from fastai.vision.all import error_rate, minimum, slide, steep, valley, vision_learner

    from ..callback import PetLens

    recipe = dict(DEMO_RECIPE)
    recipe.update({k: v for k, v in (("arch", arch), ("epochs", epochs), ("size", size))
                   if v is not None})
    arch_fn = getattr(models, recipe["arch"], None)
    if not callable(arch_fn):
        raise PetLensError(f"--arch {recipe['arch']!r}: not an architecture fastai knows "
                           "(try resnet18, resnet34, resnet50)")
    path = resolve_data(data, download=download, n_classes=n_classes, per_class=per_class)
    size = recipe["size"]
    n_train = int(0.8 * sum(1 for _ in (path / "images").glob("*.jpg")))
    if n_train < 8:
        raise PetLensError(f"{path / 'images'}: too few .jpg images to train on ({n_train})")
    bs = min(recipe["bs"], n_train // 4)  # small data sets still get a few batches per epoch
    dls = pets_dataloaders(path, item_size=max(recipe["item_size"], size * 5 // 4), size=size,
                           bs=bs)
    pretrained = pretrained_available(recipe["arch"])
    if not pretrained:
        echo(f"petlens: no pretrained {recipe['arch']} weights on this machine; "
             "training from scratch (pretrained=False)")
    lens = PetLens(path=out, embeddings="valid+train")  # + a training-set pass per fit: ~4 %
    with tempfile.TemporaryDirectory(prefix="petlens-demo-") as work:
        learn = vision_learner(dls, arch_fn, pretrained=pretrained, metrics=error_rate,
                               path=work, cbs=lens)
        echo(f"petlens: data {path} ({len(dls.vocab)} classes, {len(dls.train_ds)} train / "
             f"{len(dls.valid_ds)} valid images at {size}px); lr_find ...")
        suggested = learn.lr_find(suggest_funcs=(minimum, steep, valley, slide), show_plot=False)
        base_lr = recipe.get("base_lr") if not pretrained else None
        if base_lr is None:
            base_lr = suggested.valley
            why = "lr_find's valley"
        else:
            why = "training from scratch wants more than the valley; see petlens.demo.recipe"
        echo(f"petlens: lr_find suggests valley={suggested.valley:.1e}; "
             f"fine_tune({recipe['epochs']}, base_lr={base_lr:.1e}) ({why})")
        learn.fine_tune(recipe["epochs"], base_lr=base_lr,
                        freeze_epochs=recipe["freeze_epochs"], lr_mult=recipe["lr_mult"])
    return learn, lens


def summary(run) -> str:
    """A few lines on a finished run: error rate, most confused pairs, where it is."""
    lines = [f"run {run.id}: {len(run.phases)} fit(s), {len(run.timeline)} iterations"]
    if run.error_rate is not None:
        lines.append(f"error rate {run.error_rate:.1%} on {len(run.preds)} validation images")
        pairs = run.most_confused()[:5]
        if pairs:
            lines.append("most confused (actual -> predicted: count):")
            lines += [f"  {a} -> {p}: {n}" for a, p, n in pairs]
    lines.append(f"saved in {run.path}")
    return "\n".join(lines)
