"""Label issues of a run's validation predictions, found by cleanlab (confident learning).

fastai's validation predictions are out-of-sample, which is what confident learning needs.
From one set of predictions (:class:`petlens.Preds`) :func:`find_label_issues` computes, with
cleanlab:

- ``scores``: per-item label quality (``cleanlab.rank.get_label_quality_scores``,
  ``method='self_confidence'``: the probability of the given label; low = suspicious);
- ``flags``: possible label issues (``cleanlab.filter.find_label_issues``,
  ``filter_by='prune_by_noise_rate'``);
- ``class_issues``: flagged items per given label;
- ``pairs``: overlapping class pairs (``cleanlab.dataset.find_overlapping_classes``), most
  overlapping first: "consider merging or checking these two classes".

**Top-k storage** (above 200 classes a run keeps the 10 largest probabilities per item and
the given label's): the full matrix is rebuilt by :func:`probability_matrix`, the kept values
in place and the rest of each row's mass spread evenly over its missing classes (each at most
the smallest kept one, so every item's ranking of classes is kept). What stays exact: the
scores (they read the given label's probability, always kept), the per-class thresholds of
confident learning (the mean probability of each class over the items labelled with it,
again the given label's) and which class each item is most confidently counted in whenever
it is a kept one. Approximate: a missing class counted when its even share crosses that
class's threshold (or not, when its true value would), hence the confident joint, the flags
and the overlapping pairs. On a 200-class run the flags from top-10 storage agree with those
from every probability on >= 95 % of items (``tests/test_label_issues.py``).

>>> issues = find_label_issues(run.preds, run.vocab)
>>> len(issues.scores) == len(run.preds), issues.flags.dtype, issues.approximate
(True, dtype('bool'), False)
>>> int(issues.class_issues.sum()) == int(issues.flags.sum())
True
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from .errors import PetLensError

METHOD = "self_confidence"  # cleanlab's default; exact with top-k storage
FILTER_BY = "prune_by_noise_rate"  # cleanlab's default
MAX_PAIRS = 100  # overlapping pairs kept, most overlapping first


@dataclass(frozen=True)
class LabelIssues:
    """cleanlab's findings on one set of validation predictions (arrays in item order, as
    ``preds.items``; class indices into the run's vocab)."""

    items: np.ndarray  # str [items]
    scores: np.ndarray  # float32 [items], label quality in [0, 1], low = likely wrong
    flags: np.ndarray  # bool [items], a possible label issue
    given: np.ndarray  # int32 [items], the label in the data
    suggested: np.ndarray  # int32 [items], the model's prediction (fastai's decoded)
    class_issues: np.ndarray  # int32 [classes], flagged items per given label
    pairs: np.ndarray  # int32 [pairs, 2], overlapping class pairs (a < b)
    pair_joint: np.ndarray  # float32 [pairs], cleanlab's joint probability of the pair
    pair_count: np.ndarray  # int32 [pairs], cleanlab's overlapping examples of the pair
    meta: dict = field(default_factory=dict)  # how they were computed (see ``describe``)
    cached: bool = False  # read from (or written to) the run folder's cache
    note: str = ""  # e.g. why nothing is cached

    @property
    def approximate(self) -> bool:
        """Whether the predictions kept only the top-k probabilities (see the module doc)."""
        return bool(self.meta.get("approximate"))

    def ranked(self) -> np.ndarray:
        """Item indices, lowest label quality first (ties in item order).

        >>> issues = find_label_issues(run.preds, run.vocab)
        >>> bool(issues.scores[issues.ranked()[0]] == issues.scores.min())
        True
        """
        return np.argsort(self.scores, kind="stable")

    def overlapping(self, vocab: list[str], k: int | None = None) -> list[tuple]:
        """``(class_a, class_b, joint_probability, overlapping_examples)``, most overlapping
        first, as cleanlab's ``find_overlapping_classes`` lists them."""
        rows = zip(self.pairs.tolist(), self.pair_joint.tolist(), self.pair_count.tolist(),
                   strict=True)
        return [(vocab[a], vocab[b], joint, count) for (a, b), joint, count in rows][:k]

    def table(self, vocab: list[str], k: int = 10) -> list[dict]:
        """The ``k`` flagged items of lowest label quality, as rows to print."""
        order = [i for i in self.ranked() if self.flags[i]][:k]
        return [{"item": str(self.items[i]), "given": vocab[self.given[i]],
                 "suggested": vocab[self.suggested[i]], "quality": float(self.scores[i])}
                for i in order]


def probability_matrix(preds, n_classes: int) -> tuple[np.ndarray, bool]:
    """float32 [items x classes] probabilities, rows summing to 1, and whether they are
    approximate (top-k storage: kept values in place, the rest of each row's mass spread
    evenly over its missing classes).

    >>> probs, approximate = probability_matrix(run.preds, len(run.vocab))
    >>> probs.shape == run.preds.probs.shape, approximate
    (True, False)
    """
    if preds.probs is not None:
        probs = preds.probs.astype(np.float32)
        approximate = False
    else:
        topk = preds.topk_probs.astype(np.float32)
        classes = preds.topk_classes.astype(np.intp)
        targets = preds.targets.astype(np.intp)
        given = preds.target_probs.astype(np.float32)
        n, k = topk.shape
        rows = np.arange(n)
        target_kept = (classes == targets[:, None]).any(1)
        kept_mass = topk.sum(1) + np.where(target_kept, 0, given)
        n_missing = n_classes - k - (~target_kept)
        fill = np.maximum(1 - kept_mass, 0) / np.maximum(n_missing, 1)
        probs = np.empty((n, n_classes), np.float32)
        probs[:] = fill[:, None]
        probs[rows[:, None], classes] = topk
        probs[rows, targets] = given
        approximate = True
    sums = probs.sum(1, keepdims=True)
    np.divide(probs, sums, out=probs, where=sums > 0)  # float16 storage rounds the sums
    probs[sums[:, 0] <= 0] = 1 / max(n_classes, 1)
    return probs, approximate


def preds_fingerprint(preds) -> str:
    """A SHA-1 of the predictions' items, targets, decisions and losses: the cache is
    recomputed when it changes."""
    digest = hashlib.sha1()
    for array in (preds.targets.astype("<i4"), preds.decoded.astype("<i4"),
                  preds.losses.astype("<f4")):
        digest.update(array.tobytes())
    digest.update("\0".join(map(str, preds.items)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def cleanlab_version() -> str:
    from importlib.metadata import version

    return version("cleanlab")


def find_label_issues(preds, vocab: list[str], *, max_pairs: int = MAX_PAIRS) -> LabelIssues:
    """cleanlab's label quality, issue flags and overlapping pairs of ``preds``.

    Raises :class:`PetLensError` for predictions cleanlab cannot use (fewer than two
    classes, no items).
    """
    n_classes = len(vocab)
    if n_classes < 2 or not len(preds):
        raise PetLensError(f"label issues need at least two classes and one validation item "
                           f"(found {n_classes} classes, {len(preds)} items)")
    probs, approximate = probability_matrix(preds, n_classes)
    labels = preds.targets.astype(np.int64)
    scores, flags, joint = _cleanlab(labels, probs)
    pairs, pair_joint, pair_count = _top_pairs(joint, len(labels), max_pairs)
    return LabelIssues(
        items=np.asarray(preds.items), scores=scores, flags=flags,
        given=preds.targets.astype(np.int32), suggested=preds.decoded.astype(np.int32),
        class_issues=np.bincount(labels[flags], minlength=n_classes).astype(np.int32),
        pairs=pairs, pair_joint=pair_joint, pair_count=pair_count,
        meta={"method": METHOD, "filter_by": FILTER_BY, "approximate": approximate,
              "top_k": preds.top_k, "n_items": len(preds), "n_classes": n_classes,
              "cleanlab": cleanlab_version(), "fingerprint": preds_fingerprint(preds)})


def _cleanlab(labels: np.ndarray, probs: np.ndarray):
    """cleanlab's three calls sharing one confident joint (computed once)."""
    import warnings

    from cleanlab.count import compute_confident_joint
    from cleanlab.filter import find_label_issues as cl_find
    from cleanlab.rank import get_label_quality_scores

    with warnings.catch_warnings():  # classes absent from a small validation set
        warnings.simplefilter("ignore")
        scores = get_label_quality_scores(labels, probs, method=METHOD)
        confident_joint = compute_confident_joint(labels, probs)
        flags = cl_find(labels, probs, filter_by=FILTER_BY, confident_joint=confident_joint,
                        n_jobs=1)
    return np.asarray(scores, np.float32), np.asarray(flags, bool), confident_joint


def _top_pairs(confident_joint: np.ndarray, n_items: int, max_pairs: int):
    """cleanlab's ``find_overlapping_classes`` (symmetric), kept where at least one example
    overlaps, most overlapping first, at most ``max_pairs``."""
    from cleanlab.dataset import find_overlapping_classes

    table = find_overlapping_classes(confident_joint=confident_joint, num_examples=n_items)
    table = table[table["Num Overlapping Examples"] > 0].head(max_pairs)
    pairs = table[["Class Index A", "Class Index B"]].to_numpy(np.int32).reshape(-1, 2)
    return (np.sort(pairs, axis=1), table["Joint Probability"].to_numpy(np.float32),
            table["Num Overlapping Examples"].to_numpy(np.int32))


def cards_state(issues: LabelIssues, vocab: list[str]) -> dict:
    """What the top-loss cards, the detail panel and the report need, in item order as
    ``TopLossesView.state()['items']`` (arrays stay numpy; ``wire.encode_state`` sends them):
    ``label_quality`` (float32), ``label_issue`` (bool), ``suggested_label`` (int32),
    ``class_issues`` (int32 per class), ``overlapping_pairs`` (class indices, joint,
    examples) and ``label_issues_info`` (how they were computed, whether approximate).

    >>> state = cards_state(find_label_issues(run.preds, run.vocab), run.vocab)
    >>> sorted(state)  # doctest: +NORMALIZE_WHITESPACE
    ['class_issues', 'label_issue', 'label_issues_info', 'label_quality',
     'overlapping_pairs', 'suggested_label']
    """
    return {
        "label_quality": issues.scores.astype(np.float32),
        "label_issue": issues.flags.astype(bool),
        "suggested_label": issues.suggested.astype(np.int32),
        "class_issues": issues.class_issues.astype(np.int32),
        "overlapping_pairs": [
            {"a": int(a), "b": int(b), "joint": float(j), "examples": int(c)}
            for (a, b), j, c in zip(issues.pairs.tolist(), issues.pair_joint.tolist(),
                                    issues.pair_count.tolist(), strict=True)],
        "label_issues_info": {
            "n_flagged": int(issues.flags.sum()), "approximate": issues.approximate,
            "top_k": issues.meta.get("top_k"), "method": issues.meta.get("method"),
            "cleanlab": issues.meta.get("cleanlab"), "cached": issues.cached,
            "note": issues.note, "n_classes": len(vocab)},
    }
