"""Validation predictions taken from the validation pass fastai already runs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch
from fastai.torch_core import num_distrib

AUTO_TOP_K_ABOVE = 200  # classes; above this ``probs_top_k='auto'`` keeps the top 10
AUTO_TOP_K = 10


def resolve_top_k(option, n_classes: int) -> int | None:
    """How many probabilities per item to keep (``None``: all of them).

    >>> resolve_top_k("auto", 37), resolve_top_k("auto", 1000), resolve_top_k(5, 37)
    (None, 10, 5)
    """
    if option == "auto":
        return AUTO_TOP_K if n_classes > AUTO_TOP_K_ABOVE else None
    if option is None or option >= n_classes:
        return None
    return int(option)


@dataclass
class PredsSnapshot:
    """One complete validation pass, still on the model's device: the arrays of a preds file
    (``schema.PREDS_ARRAYS`` but ``items``, with ``FULL_PROBS_ARRAYS`` or
    ``TOPK_PROBS_ARRAYS``) in their stored dtypes."""

    arrays: dict[str, torch.Tensor]
    epoch: int
    n_classes: int

    def to_numpy(self) -> dict[str, np.ndarray]:
        return {key: value.cpu().numpy() for key, value in self.arrays.items()}


class PredsRecorder:
    """Fills preallocated device buffers batch by batch during validation.

    Probabilities are the loss function's activation (softmax for cross-entropy), stored as
    float16; per-item losses are the learner's own loss function, unreduced; decoded
    predictions use the loss function's ``decodes`` (argmax), computed before rounding.
    Memory: one [items x classes] float16 buffer, no per-batch copies kept; with top-k
    storage (``top_k='auto'`` above 200 classes, or an int) only [items x k] is kept.
    """

    def __init__(self, top_k, *, keep: bool = True):
        self.enabled = True
        self.disabled_reason: str | None = None  # why predictions are not recorded
        self.top_k_option = top_k
        self.keep = keep  # False on other ranks than 0: they only take part in the gathers
        self._buffers: dict[str, torch.Tensor] | None = None
        self._offset = 0
        self._n = 0
        self._n_classes = 0
        self._distributed = False

    def begin(self, n_items: int) -> None:
        self._buffers, self._offset, self._n = None, 0, n_items
        self._distributed = num_distrib() > 1

    def record(self, learn) -> None:
        """Record one validation batch of ``learn`` (call from ``after_batch``).

        Under distributed training every rank calls this: each batch is gathered from all
        ranks (as fastai gathers its metrics) and stored at the items' own positions.
        """
        if not self.enabled or not len(learn.yb):
            return
        with torch.no_grad():
            batch, positions = self._batch_arrays(learn), None
            if batch is not None and self._distributed:
                batch, positions = self._gathered(learn, batch)
            if batch is not None and self.keep:
                self._store(batch, positions)

    def _batch_arrays(self, learn) -> dict[str, torch.Tensor] | None:
        """The batch's per-item arrays; its [items x classes] temporaries are freed on
        return, one at a time (the loss's before the probabilities')."""
        logits, target, loss_func = learn.pred.float(), learn.yb[0], learn.loss_func
        with learn.loss_not_reduced():
            losses = loss_func(logits, *learn.yb)
        probs = _call(loss_func, "activation", logits)
        decoded = _call(loss_func, "decodes", probs)
        if target.ndim == 2 and target.shape[1] == 1 and decoded.ndim == 1:
            target = target[:, 0]  # fastai tabular's [items, 1] class targets
        if target.ndim != 1 or decoded.shape != target.shape or probs.ndim != 2:
            self._disable(_why_not_single_label(target))
            return None
        if losses.numel() == 0 or losses.numel() % len(target):
            self._disable("the loss function does not give one loss per item")
            return None
        return {**self._probability_arrays(probs, target), "targets": target.to(torch.int32),
                "losses": losses.reshape(len(target), -1).mean(1).float(),
                "decoded": decoded.to(torch.int32)}

    def _gathered(self, learn, batch: dict) -> tuple[dict | None, list[int] | None]:
        """``batch`` from every rank, and the validation-set positions of its items, worked
        out on the host from how fastai's ``DistributedDL`` lays out the ranks (rank ``r``
        reads the ``r``-th contiguous share; the gather drops the padding at the end)."""
        dl = learn.dl
        if not all(hasattr(dl, a) for a in ("i", "n_padded", "world_size")):
            self._disable("distributed validation without fastai's DistributedDL "
                          "(use learn.distrib_ctx())")
            return None, None
        n = len(batch["targets"])
        batch = {key: learn.to_detach(value, cpu=False, gather=True)
                 for key, value in batch.items()}
        first = dl.i - n  # this batch's offset in every rank's share
        positions = [r * dl.n_padded // dl.world_size + first + j
                     for r in range(dl.world_size) for j in range(n)]
        return batch, positions[:len(batch["targets"])]

    def _probability_arrays(self, probs, target) -> dict[str, torch.Tensor]:
        self._n_classes = probs.shape[1]
        k = resolve_top_k(self.top_k_option, self._n_classes)
        if k is None:
            return {"probs": probs.to(torch.float16)}
        top = probs.topk(k, dim=1)
        return {"topk_probs": top.values.to(torch.float16),
                "topk_classes": top.indices.to(torch.int32),  # NCCL gathers no int16
                "target_probs": probs.gather(1, target[:, None].long())[:, 0]
                .to(torch.float16)}

    def _store(self, batch: dict, positions: list[int] | None) -> None:
        if self._buffers is None:
            self._buffers = {
                key: torch.empty((self._n, *value.shape[1:]),
                                 dtype=self._buffer_dtype(key, value), device=value.device)
                for key, value in batch.items()}
        n_batch = len(batch["targets"])
        if positions is None:
            index, last = slice(self._offset, self._offset + n_batch), self._offset + n_batch - 1
        else:
            index = torch.tensor(positions, device=batch["targets"].device)
            last = max(positions, default=-1)
        if last >= self._n:
            self._disable(f"the validation set yielded more than its {self._n} items")
            return
        for key, value in batch.items():
            buffer = self._buffers[key]
            buffer[index] = value.to(buffer.dtype)
        self._offset += n_batch

    def _buffer_dtype(self, key: str, value: torch.Tensor) -> torch.dtype:
        if key == "topk_classes" and self._n_classes <= 2**15:
            return torch.int16  # class indices below 32,768: half the memory
        return value.dtype

    def end(self, epoch: int) -> PredsSnapshot | None:
        """The finished pass, or ``None`` if it did not cover every validation item."""
        buffers, complete = self._buffers, self._offset == self._n and self._n > 0
        self._buffers = None
        if not self.enabled or buffers is None or not complete:
            return None
        return PredsSnapshot(buffers, epoch=epoch, n_classes=self._n_classes)

    def _disable(self, reason: str) -> None:
        warnings.warn(f"petlens: validation predictions not recorded: {reason}", stacklevel=2)
        self.enabled, self.disabled_reason, self._buffers = False, reason, None


def _why_not_single_label(target: torch.Tensor) -> str:
    """Why these targets give no confusion matrix, in a user's words."""
    if target.is_floating_point() and target.ndim == 2 and target.shape[1] > 1:
        return ("multi-label targets (any number of classes per item): a confusion matrix "
                "and top losses need exactly one class per item")
    if target.is_floating_point():
        return ("regression targets (numbers, not classes): a confusion matrix and top losses "
                "need one class per item")
    return f"targets of shape {tuple(target.shape)} are not one class per item"


def _call(loss_func, name: str, x):
    fn = getattr(loss_func, name, None)
    return x if fn is None else fn(x)
