"""Penultimate features of the validation items, taken from the validation pass fastai
already runs; optionally those of the training items, in one pass at a fit's end.

A forward hook on the model's last ``nn.Linear`` (the head's classifier: for a fastai
``vision_learner`` its 512 inputs after the head's first linear block) keeps that layer's
input during ``PetLens``'s validation passes only (it is attached at ``before_validate`` and
removed at ``after_validate``). Each batch is copied into one preallocated float16 device
buffer [items x features], at the items' positions (gathered from every rank in distributed
validation, as the predictions are): no host-device synchronisation per batch, one transfer
at the end of the pass. 50,000 items x 512 features = 51 MB.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path

import numpy as np
import torch
from fastai.torch_core import num_distrib
from torch import nn

from .. import model_info, schema
from ..neighbours import nearest
from ..storage import atomic_write_npz, read_npz
from .thumbs import explained_items, thumbnail_name, write_thumbnail


def last_linear(model: nn.Module) -> tuple[str, nn.Linear] | None:
    """The last ``nn.Linear`` of ``model`` in module order, with its name (``None``: the
    model has none)."""
    found = None
    for name, module in model.named_modules():
        if isinstance(module, nn.Linear):
            found = (name, module)
    return found


class EmbeddingsRecorder:
    """Fills a preallocated float16 device buffer with the hooked layer's input, batch by
    batch (call :meth:`begin` at ``before_validate``, :meth:`record` at each validation
    ``after_batch``, :meth:`end` at ``after_validate``)."""

    def __init__(self, *, keep: bool = True):
        self.enabled = True
        self.disabled_reason: str | None = None  # why features are not recorded
        self.keep = keep  # False on ranks other than 0: they only take part in the gathers
        self.layer_name: str | None = None
        self._handle = None
        self._batch: torch.Tensor | None = None
        self._buffer: torch.Tensor | None = None
        self._offset = self._n = 0
        self._distributed = False

    def begin(self, learn, n_items: int) -> None:
        self.detach()
        self._buffer, self._offset, self._n, self._batch = None, 0, n_items, None
        if not self.enabled:
            return
        found = last_linear(learn.model)
        if found is None:
            self._disable("the model has no nn.Linear layer (the features are the input of "
                          "the last one)")
            return
        self.layer_name, layer = found
        self._handle = layer.register_forward_hook(self._hook)
        self._distributed = num_distrib() > 1

    def _hook(self, module, inputs, output) -> None:
        self._batch = inputs[0] if inputs else None  # the latest call wins

    def detach(self) -> None:
        """Remove the hook (the end of a pass, or a fit that stopped in the middle)."""
        if self._handle is not None:
            self._handle.remove()
            self._handle = None
        self._batch = None

    def record(self, learn) -> None:
        """Store the batch the hook saw (call from ``after_batch`` during validation)."""
        batch, self._batch = self._batch, None
        if not self.enabled or self._handle is None or not len(learn.yb):
            return
        if batch is None:
            self._disable(f"the layer {self.layer_name!r} did not run in the validation pass")
            return
        n = len(learn.yb[0])
        if batch.ndim != 2 or batch.shape[0] != n:
            self._disable(f"the input of the last linear layer {self.layer_name!r} has shape "
                          f"{tuple(batch.shape)}, not one feature vector per item ({n} items)")
            return
        with torch.no_grad():
            features, positions = batch.detach().to(torch.float16), None
            if self._distributed:
                features, positions = self._gathered(learn, features)
                if features is None:
                    return
            if self.keep:
                self._store(features, positions)

    def _gathered(self, learn, features):
        """``features`` from every rank and their validation-set positions (as
        :meth:`PredsRecorder._gathered <petlens.recorders.preds.PredsRecorder>`)."""
        dl = learn.dl
        if not all(hasattr(dl, a) for a in ("i", "n_padded", "world_size")):
            self._disable("distributed validation without fastai's DistributedDL "
                          "(use learn.distrib_ctx())")
            return None, None
        n = len(features)
        features = learn.to_detach(features, cpu=False, gather=True)
        first = dl.i - n
        positions = [r * dl.n_padded // dl.world_size + first + j
                     for r in range(dl.world_size) for j in range(n)]
        return features, positions[:len(features)]

    def _store(self, features: torch.Tensor, positions: list[int] | None) -> None:
        if self._buffer is None:
            self._buffer = torch.empty((self._n, features.shape[1]), dtype=torch.float16,
                                       device=features.device)
        n = len(features)
        if positions is None:
            index, last = slice(self._offset, self._offset + n), self._offset + n - 1
        else:
            index = torch.tensor(positions, device=features.device)
            last = max(positions, default=-1)
        if last >= self._n:
            self._disable(f"the validation set yielded more than its {self._n} items")
            return
        self._buffer[index] = features
        self._offset += n

    def end(self) -> torch.Tensor | None:
        """The pass's features (float16 [items x features], still on the device), or
        ``None`` if it did not cover every validation item."""
        self.detach()
        buffer, complete = self._buffer, self._offset == self._n and self._n > 0
        self._buffer = None
        if not self.enabled or buffer is None or not complete:
            return None
        return buffer

    def _disable(self, reason: str) -> None:
        self.detach()
        if self.keep:
            warnings.warn(f"petlens: embeddings not recorded: {reason}", stacklevel=3)
        self.enabled, self.disabled_reason, self._buffer = False, reason, None


def train_features(learn) -> dict | str:
    """One pass over the training items without augmentation (``dls.test_dl`` of the
    training items with their labels: the validation transforms), in the training set's
    order: ``{"train_items", "train_features" (float16), "train_labels" (int32), "root",
    "seconds"}``, or why it could not be done (a string)."""
    start = time.perf_counter()
    items = getattr(learn.dls.train, "items", None)
    if items is None or hasattr(items, "iloc") or not len(items):
        return "the training data loader has no items to read again"
    found = last_linear(learn.model)  # again: a distributed fit's end unwrapped the model
    if found is None:
        return "the model has no nn.Linear layer"
    layer_name, layer = found
    try:
        dl = learn.dls.test_dl(list(items), with_labels=True)
    except Exception as e:  # data a test_dl cannot read again: no training features
        return f"the training items cannot be read without augmentation: {type(e).__name__}: {e}"
    captured: list[torch.Tensor] = []
    handle = layer.register_forward_hook(lambda m, i, o: captured.append(i[0]))
    model, buffer, labels, offset = learn.model, None, [], 0
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for batch in dl:
                model(*batch[:dl.n_inp])
                if not captured:
                    return f"the layer {layer_name!r} did not run on the training items"
                features, target = captured.pop(), batch[dl.n_inp]
                captured.clear()
                if features.ndim != 2 or target.ndim != 1 or len(target) != len(features):
                    return "the training batches do not give one feature vector and one class " \
                           "per item"
                if buffer is None:
                    buffer = torch.empty((len(items), features.shape[1]), dtype=torch.float16,
                                         device=features.device)
                buffer[offset:offset + len(features)] = features.to(torch.float16)
                labels.append(target.to(torch.int32))
                offset += len(features)
    finally:
        handle.remove()
        model.train(was_training)
    if buffer is None or offset != len(items):
        return "the training pass did not cover every training item"
    ids, root = model_info.item_ids(items)
    return {"train_items": np.asarray(ids, dtype=str), "train_features": buffer.cpu().numpy(),
            "train_labels": torch.cat(labels).cpu().numpy(), "root": root,
            "seconds": time.perf_counter() - start}


THUMBNAILED_NEIGHBOURS = 8  # of each (projection.K: the view shows that many)


def save_valid(folder, manifest: dict, features: torch.Tensor, items: np.ndarray, *,
               phase: int, epoch: int, iteration: int, layer: str | None) -> None:
    """Write the validation features (one device transfer) as ``embeddings.npz``, replacing
    the previous pass (and its training features: they belong to earlier weights), and
    index it in ``manifest``; ``OSError`` propagates (the caller warns)."""
    array = features.cpu().numpy()
    atomic_write_npz(folder.path / schema.EMBEDDINGS_FILE, {"items": items, "features": array})
    artefacts = manifest["artefacts"]
    artefacts["embeddings"] = {
        "file": schema.EMBEDDINGS_FILE, "source": "valid", "phase": phase, "epoch": epoch,
        "iter": iteration, "n_items": int(array.shape[0]), "n_features": int(array.shape[1]),
        "layer": layer, "n_train": None, "train_phase": None, "train_seconds": None,
        "train_thumbs": {}, "train_root": None}
    artefacts.pop("embeddings_skipped", None)


def save_train(learn, folder, manifest: dict, preds: dict | None, *,
               phase: int, thumb_size: int | None) -> str | None:
    """At a fit's end: the training items' features beside the validation ones in
    ``embeddings.npz``, and thumbnails of the nearest training items of the top losses and
    the errors (``explained_items`` of ``preds``: the latest predictions' arrays;
    ``thumb_size``: ``None`` for none), and the training items' folder
    (``train_root``: a live widget reads the other neighbours there); returns why not, or
    ``None``."""
    entry = manifest["artefacts"].get("embeddings")
    if entry is None or entry["phase"] != phase:
        return None  # no validation features of this fit: nothing to explain
    found = train_features(learn)
    if isinstance(found, str):
        return found
    path = folder.path / schema.EMBEDDINGS_FILE
    valid = read_npz(path, what=schema.EMBEDDINGS_FILE)
    train = {key: found[key] for key in schema.TRAIN_EMBEDDINGS_ARRAYS}
    atomic_write_npz(path, {"items": valid["items"], "features": valid["features"], **train})
    thumbs = {}
    if thumb_size is not None and found["root"] is not None and preds is not None:
        top = explained_items(preds["targets"], preds["decoded"], preds["losses"])
        index, _ = nearest(valid["features"][top], found["train_features"],
                           THUMBNAILED_NEIGHBOURS)
        for i in np.unique(index[index >= 0]):
            item = str(found["train_items"][i])
            dest, relative = folder.thumb_path(thumbnail_name(f"train/{item}"))
            if write_thumbnail(Path(found["root"]) / item, dest, thumb_size):
                thumbs[item] = relative
    entry.update(source="valid+train", n_train=len(found["train_items"]), train_phase=phase,
                 train_seconds=round(found["seconds"], 3), train_thumbs=thumbs,
                 train_root=found["root"])
    return None
