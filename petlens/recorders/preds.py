"""Validation predictions taken from the validation pass fastai already runs."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch


@dataclass
class PredsSnapshot:
    """One complete validation pass, still on the model's device."""

    probs: torch.Tensor
    targets: torch.Tensor
    losses: torch.Tensor
    decoded: torch.Tensor
    epoch: int

    def to_numpy(self) -> dict[str, np.ndarray]:
        return {
            "probs": self.probs.cpu().numpy(),
            "targets": self.targets.cpu().numpy().astype(np.int32),
            "losses": self.losses.cpu().numpy().astype(np.float32),
            "decoded": self.decoded.cpu().numpy().astype(np.int32),
        }


class PredsRecorder:
    """Fills preallocated device buffers batch by batch during validation.

    Probabilities are the loss function's activation (softmax for cross-entropy), stored as
    float16; per-item losses are the learner's own loss function, unreduced; decoded
    predictions use the loss function's ``decodes`` (argmax), computed before rounding.
    Memory: one [items x classes] float16 buffer, no per-batch copies kept.
    """

    def __init__(self):
        self.enabled = True
        self._buffers: dict[str, torch.Tensor] | None = None
        self._offset = 0
        self._n = 0

    def begin(self, n_items: int) -> None:
        self._buffers, self._offset, self._n = None, 0, n_items

    def record(self, learn) -> None:
        """Record one validation batch of ``learn`` (call from ``after_batch``)."""
        if not self.enabled or not len(learn.yb):
            return
        pred, target = learn.pred, learn.yb[0]
        loss_func = learn.loss_func
        with torch.no_grad():
            logits = pred.float()
            probs = _call(loss_func, "activation", logits)
            decoded = _call(loss_func, "decodes", probs)
            if target.ndim != 1 or decoded.shape != target.shape:
                self._disable(f"targets of shape {tuple(target.shape)} are not single-label")
                return
            with learn.loss_not_reduced():
                losses = learn.loss_func(logits, *learn.yb)
            if losses.numel() == 0 or losses.numel() % len(target):
                self._disable("the loss function does not give one loss per item")
                return
            losses = losses.reshape(len(target), -1).mean(1)
            self._store(probs.to(torch.float16), target, losses.float(), decoded)

    def _store(self, probs, targets, losses, decoded) -> None:
        if self._buffers is None:
            n, device = self._n, probs.device
            self._buffers = {
                "probs": torch.empty((n, probs.shape[1]), dtype=torch.float16, device=device),
                "targets": torch.empty(n, dtype=torch.int64, device=device),
                "losses": torch.empty(n, dtype=torch.float32, device=device),
                "decoded": torch.empty(n, dtype=torch.int64, device=device),
            }
        start, stop = self._offset, self._offset + len(targets)
        if stop > self._n:
            self._disable(f"the validation set yielded more than its {self._n} items")
            return
        for key, value in zip(("probs", "targets", "losses", "decoded"),
                              (probs, targets, losses, decoded), strict=True):
            self._buffers[key][start:stop] = value
        self._offset = stop

    def end(self, epoch: int) -> PredsSnapshot | None:
        """The finished pass, or ``None`` if it did not cover every validation item."""
        buffers, complete = self._buffers, self._offset == self._n and self._n > 0
        self._buffers = None
        if not self.enabled or buffers is None or not complete:
            return None
        return PredsSnapshot(**buffers, epoch=epoch)

    def _disable(self, reason: str) -> None:
        warnings.warn(f"petlens: validation predictions not recorded: {reason}", stacklevel=2)
        self.enabled, self._buffers = False, None


def _call(loss_func, name: str, x):
    fn = getattr(loss_func, name, None)
    return x if fn is None else fn(x)
