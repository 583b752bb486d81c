"""Small JPEG thumbnails of the validation items the views show, and of the training images
that explain the errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from PIL import UnidentifiedImageError

from ..jpeg import jpeg_bytes
from ..storage import atomic_write_bytes


def select_items(targets: np.ndarray, decoded: np.ndarray, losses: np.ndarray, *,
                 top_k: int = 48, per_cell: int = 4, per_class: int = 2) -> np.ndarray:
    """Item indices to thumbnail: the ``top_k`` losses, up to ``per_cell`` examples of every
    confused (actual, predicted) cell (highest loss first) and ``per_class`` correct ones
    per class (lowest loss first). Sorted, unique.
    """
    by_loss = np.argsort(-losses, kind="stable")
    chosen = [by_loss[:top_k]]
    wrong = by_loss[targets[by_loss] != decoded[by_loss]]
    chosen.append(_first_per_key(wrong, targets[wrong] * (decoded.max() + 1) + decoded[wrong],
                                 per_cell))
    right = by_loss[::-1][targets[by_loss[::-1]] == decoded[by_loss[::-1]]]
    chosen.append(_first_per_key(right, targets[right], per_class))
    return np.unique(np.concatenate(chosen)).astype(np.int64)


# validation items whose nearest training images get thumbnails (what the offline report can
# show): the 16 top losses and every other error, highest loss first, 64 items at most
THUMBNAILED_TOP_LOSSES = 16
THUMBNAILED_ITEMS = 64

def explained_items(targets: np.ndarray, decoded: np.ndarray, losses: np.ndarray) -> np.ndarray:
    """The validation items whose nearest training images get thumbnails, highest loss
    first: the ``THUMBNAILED_TOP_LOSSES`` top losses and the other misclassified items, at
    most ``THUMBNAILED_ITEMS``.

    >>> explained_items(np.array([0, 1, 1]), np.array([0, 0, 1]), np.array([.1, .9, .2]))
    array([1, 2, 0])
    """
    order = np.argsort(-losses, kind="stable")
    wanted = (np.arange(len(order)) < THUMBNAILED_TOP_LOSSES) | (targets[order] != decoded[order])
    return order[wanted][:THUMBNAILED_ITEMS]


def _first_per_key(order: np.ndarray, keys: np.ndarray, n: int) -> np.ndarray:
    """The first ``n`` entries of ``order`` for each distinct key, keeping the order."""
    if not len(order):
        return order
    sort = np.argsort(keys, kind="stable")
    sorted_keys = keys[sort]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_keys)) + 1]
    rank = np.arange(len(sort)) - np.repeat(starts, np.diff(np.r_[starts, len(sort)]))
    return order[sort[rank < n]]


def thumbnail_name(item: str) -> str:
    """A file name for ``item``'s thumbnail that never contains the (untrusted) item name."""
    return hashlib.sha1(item.encode("utf-8")).hexdigest()[:20] + ".jpg"


def write_thumbnail(source: Path, dest: Path, size: int) -> bool:
    """Write a JPEG thumbnail (longest side ``size``) of image ``source``; False if unreadable."""
    try:
        jpeg, _ = jpeg_bytes(source, size)
    except (OSError, UnidentifiedImageError, ValueError):
        return False
    atomic_write_bytes(dest, jpeg)
    return True
