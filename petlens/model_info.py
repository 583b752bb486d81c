"""What a learner is: architecture, parameter counts, layer groups, data, versions."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import torch
from fastcore.xtras import is_listy
from torch import nn


def layer_groups(model: nn.Module, param_lists) -> list[dict]:
    """Name and size every parameter group of the optimiser (fastai's layer groups).

    Names come from the module paths the group covers; for fastai's usual
    ``Sequential(body, head)`` they read ``body[0:6]``, ``body[6:8]``, ``head``.
    """
    names = {id(p): n for n, p in model.named_parameters()}
    body_head = isinstance(model, nn.Sequential) and len(model) == 2
    groups = []
    for params in param_lists:
        paths = _unique(".".join(names.get(id(p), "?").split(".")[:2]) for p in params)
        groups.append({
            "name": _group_name(paths, body_head),
            "modules": paths,
            "n_params": int(sum(p.numel() for p in params)),
        })
    return groups


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


def _group_name(paths: list[str], body_head: bool) -> str:
    if not paths:
        return "(empty)"
    tops = _unique(p.split(".")[0] for p in paths)
    if body_head and tops == ["1"]:
        return "head"
    if body_head and tops == ["0"]:
        subs = [p.split(".")[1] for p in paths if "." in p]
        if subs and all(s.isdigit() for s in subs):
            return f"body[{min(map(int, subs))}:{max(map(int, subs)) + 1}]"
        return "body"
    return paths[0] if len(paths) == 1 else f"{paths[0]} … {paths[-1]}"


def arch_name(learn) -> str:
    """``resnet34`` for ``vision_learner(dls, resnet34)``; else the model's class name."""
    arch = getattr(learn, "arch", None)
    if arch is not None:
        return getattr(arch, "__name__", None) or str(arch)
    return type(learn.model).__name__


def describe_model(learn) -> dict:
    model = learn.model
    params = list(model.parameters())
    return {
        "arch": arch_name(learn),
        "class": type(model).__name__,
        "n_params": int(sum(p.numel() for p in params)),
        "n_trainable": int(sum(p.numel() for p in params if p.requires_grad)),
        "layer_groups": layer_groups(model, learn.opt.param_lists),
    }


def describe_data(learn, item_root: str | None) -> dict:
    dls = learn.dls
    vocab = getattr(dls, "vocab", None)
    if is_listy(vocab) and len(vocab) and not isinstance(vocab[0], str):
        vocab = vocab[-1]  # several target blocks: the classes of the last, as fastai does
    return {
        "vocab": [str(v) for v in vocab] if vocab is not None else [],
        "n_train": _safe_len(getattr(dls, "train_ds", None)),
        "n_valid": _safe_len(getattr(dls, "valid_ds", None)),
        "batch_size": getattr(dls.train, "bs", None),
        "item_root": item_root,
    }


def _safe_len(obj) -> int | None:
    try:
        return len(obj)
    except TypeError:
        return None


def describe_device(model: nn.Module) -> str:
    try:
        device = next(model.parameters()).device
    except StopIteration:
        return "cpu"
    if device.type == "cuda":
        return f"{device} ({torch.cuda.get_device_name(device)})"
    return str(device)


def versions() -> dict:
    import fastai

    from ._version import __version__

    return {
        "petlens": __version__,
        "fastai": fastai.__version__,
        "torch": torch.__version__,
        "python": platform.python_version(),
    }


def item_ids(items) -> tuple[list[str], str | None]:
    """Relative ids of validation items and the folder they are relative to.

    File paths become paths relative to their common folder; anything else (data frame rows,
    tensors) becomes its position.
    """
    if hasattr(items, "iloc"):  # a data frame (tabular): iterating it would give its columns
        return [str(i) for i in range(len(items))], None
    items = list(items) if items is not None else []
    if items and all(isinstance(i, (str, os.PathLike)) for i in items):
        paths = [Path(i).absolute() for i in items]
        root = Path(os.path.commonpath([str(p.parent) for p in paths]))
        return [p.relative_to(root).as_posix() for p in paths], str(root)
    return [str(i) for i in range(len(items))], None


def earlier_training(learn) -> dict | None:
    """What the learner's optimizer remembers of training done before recording began:
    ``{'iterations': n, 'epochs': n / batches per epoch}`` (``None``: no trace of any).

    fastai keeps one optimizer across fits and its ``step_stat`` counts every step, so a
    learner trained and then given ``PetLens`` still says how far it had come.
    """
    state = getattr(getattr(learn, "opt", None), "state", None) or {}
    steps = [s.get("step") for s in state.values() if isinstance(s, dict)]
    steps = [int(s) for s in steps if isinstance(s, (int, float)) and s > 0]
    if not steps:
        return None
    per_epoch = _safe_len(getattr(learn.dls, "train", None))
    return {"iterations": max(steps),
            "epochs": round(max(steps) / per_epoch, 1) if per_epoch else None}


def inputs_are_images(learn) -> bool:
    """Whether the learner's inputs are images, judged on the first item of its validation
    set (of its training set when the validation set is empty)."""
    from fastai.torch_core import TensorImage
    from PIL import Image

    dls = getattr(learn, "dls", None)  # None: a callback whose learner has gone
    for ds in (getattr(dls, "valid_ds", None), getattr(dls, "train_ds", None)):
        try:
            first = ds[0][0]
        except Exception:  # empty, or items that are not (input, target) tuples
            continue
        return isinstance(first, (Image.Image, TensorImage))
    return False
