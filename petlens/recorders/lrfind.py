"""``lr_find`` calls: rates, raw and smoothed losses, and fastai's four suggestions."""

from __future__ import annotations

import math
import warnings

import numpy as np
import torch
from fastai.callback.schedule import minimum, slide, steep, valley
from fastai.torch_core import tensor

SUGGESTION_FUNCS = {"valley": valley, "slide": slide, "minimum": minimum, "steep": steep}


class LrFindRecorder:
    """Records one ``lr_find`` at a time; raw losses stay on the device until it ends."""

    def __init__(self):
        self.calls: list[dict] = []
        self._raw: list[torch.Tensor] = []

    def begin(self) -> None:
        self._raw = []

    def record(self, loss: torch.Tensor) -> None:
        self._raw.append(loss.detach().reshape(()))

    def end(self, learn, *, iteration: int, frozen_idx: int) -> dict | None:
        """Finish the call from fastai's ``Recorder`` (what ``lr_find`` itself reads)."""
        raw, self._raw = self._raw, []
        recorder, finder = getattr(learn, "recorder", None), getattr(learn, "lr_finder", None)
        if recorder is None or finder is None or not raw:
            return None
        lrs = [float(lr) for lr in recorder.lrs]
        smooth = [float(loss) for loss in recorder.losses]
        suggestions, points = fastai_suggestions(recorder.lrs, recorder.losses, finder.num_it)
        call = {
            "iter": iteration,
            "frozen_idx": frozen_idx,
            "num_it": finder.num_it,
            "lrs": lrs,
            "losses": smooth,
            "raw_losses": torch.stack(raw).float().cpu().tolist()[: len(lrs)],
            "suggestions": suggestions,
            "points": points,
        }
        self.calls.append(call)
        return call


def fastai_suggestions(lrs, losses, num_it: int) -> tuple[dict, dict]:
    """Run fastai's suggestion functions on exactly the slice ``Learner.lr_find`` gives them.

    Returns ``({name: lr}, {name: [lr, loss]})``; a function that cannot decide on this
    curve (too short, all NaN) gives ``None`` rather than an exception.
    """
    lrs_t, losses_t = tensor(lrs[num_it // 10 : -5]), tensor(losses[num_it // 10 : -5])
    nan_idxs = torch.nonzero(torch.isnan(losses_t.view(-1)))
    if len(nan_idxs) > 0:
        drop = min(nan_idxs)
        lrs_t, losses_t = lrs_t[:drop], losses_t[:drop]
    suggestions, points = {}, {}
    for name, func in SUGGESTION_FUNCS.items():
        try:
            lr, point = func(lrs_t, losses_t, num_it)
            suggestions[name] = _finite(lr)
            points[name] = [_finite(point[0]), _finite(point[1])]
        except (IndexError, RuntimeError, ValueError) as e:
            warnings.warn(f"petlens: lr_find suggestion {name!r} unavailable: {e}", stacklevel=2)
            suggestions[name], points[name] = None, None
    return suggestions, points


def _finite(value) -> float | None:
    value = float(np.asarray(value.cpu() if torch.is_tensor(value) else value))
    return value if math.isfinite(value) else None
