"""Confusion matrix, most-confused pairs and top losses, in numpy.

They agree exactly with fastai's ``ClassificationInterpretation`` on the same predictions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .errors import PetLensError

NORMALIZE = (None, "true", "pred")


def confusion_matrix(targets, decoded, n_classes: int, *, normalize: str | None = None):
    """Counts with actual classes in rows and predicted classes in columns.

    ``normalize='true'`` divides each row by its total (share of the actual class),
    ``'pred'`` each column (share of the predicted class); empty rows or columns stay 0.

    >>> confusion_matrix([0, 1, 1], [0, 0, 1], 2)
    array([[1, 0],
           [1, 1]])
    """
    targets = np.asarray(targets, dtype=np.int64)
    decoded = np.asarray(decoded, dtype=np.int64)
    if targets.shape != decoded.shape:
        raise PetLensError(f"targets {targets.shape} and predictions {decoded.shape} differ")
    flat = targets * n_classes + decoded
    cm = np.bincount(flat, minlength=n_classes * n_classes).reshape(n_classes, n_classes)
    return normalized(cm, normalize)


def normalized(cm: np.ndarray, normalize: str | None) -> np.ndarray:
    """``cm`` itself (``None``), or shares of each actual class (``'true'``: rows sum to 1)
    or of each predicted class (``'pred'``: columns sum to 1); empty rows or columns stay 0.

    >>> normalized(np.array([[3, 1], [0, 0]]), "true")
    array([[0.75, 0.25],
           [0.  , 0.  ]])
    """
    if normalize not in NORMALIZE:
        raise PetLensError(f"normalize={normalize!r}: expected one of {NORMALIZE}")
    if normalize is None:
        return cm
    axis = 1 if normalize == "true" else 0
    totals = cm.sum(axis=axis, keepdims=True)
    return np.divide(cm, totals, out=np.zeros(cm.shape), where=totals > 0)


def most_confused(cm: np.ndarray, vocab: Sequence[str], *, min_val: int = 1):
    """``(actual, predicted, count)`` for off-diagonal cells with ``count >= min_val``.

    Sorted by count, largest first; ties keep row-major order, as fastai does.
    """
    cm = np.array(cm, copy=True)
    np.fill_diagonal(cm, 0)
    rows, cols = np.where(cm >= min_val)
    pairs = [(vocab[i], vocab[j], int(cm[i, j])) for i, j in zip(rows, cols, strict=True)]
    return sorted(pairs, key=lambda pair: pair[2], reverse=True)


def top_losses(losses, k: int | None = None, *, largest: bool = True):
    """The ``k`` largest (or smallest) losses and their item indices, like fastai's.

    Equal losses keep item order, so the result is deterministic.
    """
    losses = np.asarray(losses)
    k = len(losses) if k is None else min(int(k), len(losses))
    order = np.argsort(-losses if largest else losses, kind="stable")[:k]
    return losses[order], order


def per_class_metrics(targets, decoded, n_classes: int) -> dict:
    """Precision, recall, F1 and support of every class, and the summary rows (accuracy,
    macro and support-weighted averages), as scikit-learn's ``classification_report``
    computes them with ``labels=range(n_classes), zero_division=0`` (fastai's
    ``print_classification_report()``; a class absent from both counts as 0 in the macro
    average).

    >>> m = per_class_metrics([0, 0, 1, 1], [0, 1, 1, 1], 2)
    >>> m["precision"].round(2).tolist(), m["recall"].tolist(), m["support"].tolist()
    ([1.0, 0.67], [0.5, 1.0], [2, 2])
    >>> round(m["summary"]["accuracy"], 2), round(m["summary"]["macro"]["f1"], 3)
    (0.75, 0.733)
    """
    cm = confusion_matrix(targets, decoded, n_classes)
    hits = np.diag(cm).astype(np.float64)
    support, predicted = cm.sum(axis=1), cm.sum(axis=0)
    precision = np.divide(hits, predicted, out=np.zeros(n_classes), where=predicted > 0)
    recall = np.divide(hits, support, out=np.zeros(n_classes), where=support > 0)
    both = support + predicted  # F1 = 2 tp / (2 tp + fp + fn), as scikit-learn computes it
    f1 = np.divide(2 * hits, both, out=np.zeros(n_classes), where=both > 0)
    n_items = int(support.sum())
    weights = support / n_items if n_items else np.zeros(n_classes)
    metrics = {"precision": precision, "recall": recall, "f1": f1}
    return {**metrics, "support": support,
            "summary": {"accuracy": float(hits.sum() / n_items) if n_items else 0.0,
                        "n_items": n_items,
                        "macro": {k: float(v.mean()) if n_classes else 0.0
                                  for k, v in metrics.items()},
                        "weighted": {k: float((v * weights).sum())
                                     for k, v in metrics.items()}}}


def per_class_rates(targets, decoded, n_classes: int) -> dict:
    """Error rate, precision and recall of every class (float64 [n_classes], NaN where
    undefined: no item of the class for error and recall, none predicted as it for
    precision), ``support`` and ``predicted`` counts; from per-class counts, O(items +
    classes) memory (no matrix), for comparing runs at any number of classes. Where
    defined, precision and recall equal :func:`per_class_metrics`'.

    >>> r = per_class_rates([0, 0, 1, 1], [0, 1, 1, 1], 3)
    >>> r["error"].tolist(), r["precision"].round(2).tolist(), r["support"].tolist()
    ([0.5, 0.0, nan], [1.0, 0.67, nan], [2, 2, 0])
    """
    targets = np.asarray(targets, dtype=np.intp)
    decoded = np.asarray(decoded, dtype=np.intp)
    if targets.shape != decoded.shape:
        raise PetLensError(f"targets {targets.shape} and predictions {decoded.shape} differ")
    support = np.bincount(targets, minlength=n_classes)
    predicted = np.bincount(decoded, minlength=n_classes)
    hits = np.bincount(targets[targets == decoded], minlength=n_classes).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        recall = np.where(support > 0, hits / support, np.nan)
        precision = np.where(predicted > 0, hits / predicted, np.nan)
    return {"error": 1.0 - recall, "precision": precision, "recall": recall,
            "support": support, "predicted": predicted}
