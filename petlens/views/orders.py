"""Display orders of classes for the confusion matrix."""

from __future__ import annotations

import numpy as np


def alphabetical(vocab) -> list[int]:
    """Class indices sorted by name, ignoring case."""
    return sorted(range(len(vocab)), key=lambda i: (vocab[i].lower(), vocab[i]))


def species(vocab) -> list[int]:
    """Oxford-IIIT Pets convention: cats (capitalised names) first, then dogs, each A-Z."""
    return sorted(range(len(vocab)), key=lambda i: (not vocab[i][:1].isupper(),
                                                     vocab[i].lower()))


def clustered(cm: np.ndarray) -> list[int]:
    """An order in which classes that are confused with each other sit side by side.

    Greedy chaining on the symmetric confusion ``cm + cm.T``: start from the most confused
    pair, repeatedly attach to either end of the chain the unplaced class most confused
    with that end; when nothing left is confused with the ends, start a new chain from the
    most confused remaining pair. Classes never confused come last, in index order.
    O(C²) with numpy; deterministic.

    >>> clustered(np.array([[5, 0, 3], [0, 5, 0], [2, 0, 5]]))
    [0, 2, 1]
    """
    cm = np.asarray(cm, dtype=np.float64)
    n = len(cm)
    affinity = cm + cm.T
    np.fill_diagonal(affinity, 0)
    unplaced = np.ones(n, dtype=bool)
    order: list[int] = []
    while True:
        masked = affinity * unplaced[:, None] * unplaced[None, :]
        if n == 0 or masked.max() <= 0:
            break
        a, b = np.unravel_index(np.argmax(masked), masked.shape)
        chain = [int(a), int(b)]
        unplaced[[a, b]] = False
        while True:
            left = np.where(unplaced, affinity[chain[0]], 0)
            right = np.where(unplaced, affinity[chain[-1]], 0)
            if max(left.max(), right.max()) <= 0:
                break
            if right.max() >= left.max():
                chain.append(int(np.argmax(right)))
            else:
                chain.insert(0, int(np.argmax(left)))
            unplaced[chain[0]] = unplaced[chain[-1]] = False
        order += chain
    return order + [int(i) for i in np.flatnonzero(unplaced)]


def all_orders(vocab, cm) -> dict[str, list[int]]:
    return {"alphabetical": alphabetical(vocab), "species": species(vocab),
            "clustered": clustered(cm)}
