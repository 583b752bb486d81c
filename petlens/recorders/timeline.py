"""Per-iteration training timeline across every fit of a session."""

from __future__ import annotations

import numpy as np
import torch

_INT_FIELDS = ("phase", "epoch", "batch", "frozen_idx")


class TimelineRecorder:
    """Collects loss, per-group lr / momentum and frozen state for each training batch.

    Losses stay on the device until :meth:`flush` moves them to the host in one transfer,
    so recording adds no host-device synchronisation per batch.
    """

    def __init__(self):
        self._chunks: list[dict[str, np.ndarray]] = []
        self._reset_pending()

    def _reset_pending(self) -> None:
        self._pending = {key: [] for key in (*_INT_FIELDS, "lrs", "moms", "loss")}

    def __len__(self) -> int:
        return sum(len(c["phase"]) for c in self._chunks) + len(self._pending["phase"])

    def record(self, *, phase: int, epoch: int, batch: int, loss: torch.Tensor, hypers,
               frozen_idx: int) -> None:
        """Record one training iteration (``loss`` is the batch loss tensor, on any device)."""
        pending = self._pending
        pending["phase"].append(phase)
        pending["epoch"].append(epoch)
        pending["batch"].append(batch)
        pending["frozen_idx"].append(frozen_idx)
        pending["lrs"].append([h.get("lr", np.nan) for h in hypers])
        pending["moms"].append([h.get("mom", np.nan) for h in hypers])
        pending["loss"].append(loss.detach().reshape(()))

    def flush(self) -> None:
        """Move pending iterations to host arrays: one device transfer for all their losses."""
        pending = self._pending
        if not pending["phase"]:
            return
        chunk = {key: np.asarray(pending[key], dtype=np.int32) for key in _INT_FIELDS}
        chunk["loss"] = torch.stack(pending["loss"]).float().cpu().numpy()
        for key in ("lrs", "moms"):
            chunk[key] = _rows_to_matrix(pending[key])
        self._chunks.append(chunk)
        self._reset_pending()

    def since(self, start: int, n_groups: int) -> dict[str, np.ndarray]:
        """The iterations from ``start`` on, as :meth:`arrays` gives them (a live update:
        one device transfer for the losses not yet on the host)."""
        self.flush()
        offset, chunks = 0, []
        for chunk in self._chunks:
            n = len(chunk["phase"])
            if offset + n > start:
                skip = max(0, start - offset)
                chunks.append({key: value[skip:] for key, value in chunk.items()})
            offset += n
        return _as_arrays(chunks, n_groups)

    def arrays(self, n_groups: int) -> dict[str, np.ndarray]:
        """The timeline as arrays ([iterations] or [iterations x n_groups]) for ``timeline.npz``."""
        self.flush()
        return _as_arrays(self._chunks, n_groups)


def _as_arrays(chunks: list[dict], n_groups: int) -> dict[str, np.ndarray]:
    chunks = chunks or [_empty_chunk()]
    out = {key: np.concatenate([c[key] for c in chunks]) for key in (*_INT_FIELDS, "loss")}
    for key in ("lrs", "moms"):
        out[key] = np.concatenate([_pad(c[key], n_groups) for c in chunks])
    frozen_idx = out.pop("frozen_idx")
    out["trainable"] = np.arange(n_groups)[None, :] >= frozen_idx[:, None]
    return out


def _rows_to_matrix(rows: list[list[float]]) -> np.ndarray:
    """Rows of possibly different lengths (the groups changed mid-fit) padded with NaN."""
    width = max(len(row) for row in rows)
    if all(len(row) == width for row in rows):
        return np.asarray(rows, dtype=np.float32)
    out = np.full((len(rows), width), np.nan, dtype=np.float32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def _pad(matrix: np.ndarray, width: int) -> np.ndarray:
    if matrix.shape[1] == width:
        return matrix
    out = np.full((len(matrix), width), np.nan, dtype=np.float32)
    k = min(width, matrix.shape[1])
    out[:, :k] = matrix[:, :k]
    return out


def _empty_chunk() -> dict[str, np.ndarray]:
    chunk = {key: np.zeros(0, np.int32) for key in _INT_FIELDS}
    chunk.update(loss=np.zeros(0, np.float32), lrs=np.zeros((0, 0), np.float32),
                 moms=np.zeros((0, 0), np.float32))
    return chunk
