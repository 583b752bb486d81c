"""From raw attributions to display maps: one channel, outliers clipped, values in [0, 1].

Captum's image visualiser does the same per image: sum the channels, keep the positive part
(or the absolute value), divide by the value below which ``100 - outlier_perc`` % of the
total attribution lies, clip. Here it is vectorised over a batch.
"""

from __future__ import annotations

import numpy as np

OUTLIER_PERC = 2.0  # Captum's default: the top 2 % of the attribution mass saturates


def normalise(attr: np.ndarray, sign: str = "positive",
              outlier_perc: float = OUTLIER_PERC) -> np.ndarray:
    """``attr`` [n, channels, h, w] -> float32 [n, h, w] in [0, 1], per item.

    >>> normalise(np.array([[[[0., 1.], [2., -5.]]]])).round(2).tolist()
    [[[0.0, 0.5], [1.0, 0.0]]]
    """
    maps = np.asarray(attr, dtype=np.float64).sum(axis=1)
    maps = np.abs(maps) if sign == "absolute_value" else np.maximum(maps, 0.0)
    flat = np.sort(maps.reshape(len(maps), -1), axis=1)
    cumulative = np.cumsum(flat, axis=1)
    reached = cumulative >= cumulative[:, -1:] * (1 - outlier_perc / 100)
    threshold = flat[np.arange(len(flat)), reached.argmax(axis=1)]
    scale = np.where(threshold > 0, threshold, 1.0)[:, None, None]
    return np.clip(maps / scale, 0.0, 1.0).astype(np.float32)


def quantise(maps: np.ndarray) -> np.ndarray:
    """Maps in [0, 1] to uint8 0..255 (what a run stores and the widgets receive)."""
    return np.round(np.clip(maps, 0.0, 1.0) * 255).astype(np.uint8)
