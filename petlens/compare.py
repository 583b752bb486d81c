"""Comparing two runs item by item: what got better, what got worse, and why.

Items are matched by their path relative to each run's data folder (``data.item_root``),
by file name when the folders differ; classes by name (the vocabularies may differ in order
and content). Each item in both runs is *fixed* (wrong in A, right in B), *broken* (right in
A, wrong in B), *still wrong*, *still right* or *relabelled* (its label changed between the
runs: the same file with another label, or a file the fix queue renamed, matched to its old
self through the undo log ``petlens-removed/undo-<run id>.json``). numpy only, from the
compact arrays of the predictions (targets, decoded, losses): no probability is read.

>>> cmp = compare(run, run)          # two runs, or their folders / names
>>> cmp.counts["common"] == len(run.preds), cmp.counts["fixed"], cmp.notices
(True, 0, [])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from .classification import per_class_rates
from .errors import PetLensError
from .fix_apply import REMOVED, read_undo, safe_id
from .run import Run
from .runs import find_run

CHANGE_NAMES = ("still_right", "fixed", "broken", "still_wrong", "relabelled")
STILL_RIGHT, FIXED, BROKEN, STILL_WRONG, RELABELLED = range(len(CHANGE_NAMES))
COUNT_KEYS = ("common", "fixed", "broken", "still_wrong", "still_right", "relabelled",
              "only_a", "only_b")
_LISTED = 5  # class names listed in a notice


@dataclass(eq=False)  # arrays inside: compare their fields, not two comparisons
class Comparison:
    """Two runs compared item by item (:func:`compare` makes one).

    Per common item (``items``: B's ids, in B's order): ``actual_*`` / ``pred_*`` (class
    indices into ``vocab``, each run's own labels and predictions), ``loss_*`` and
    ``change`` (a code of ``CHANGE_NAMES``); ``index_a`` / ``index_b`` are the items'
    positions in each run's predictions. ``counts_a`` / ``counts_b`` are the confusion
    counts of the common items (rows actual, columns predicted; the smallest integer type
    that holds them), ``rates_a`` / ``rates_b`` the per-class error rate, precision and
    recall over them (:func:`petlens.classification.per_class_rates`).
    """

    run_a: Run
    run_b: Run
    vocab: list
    items: np.ndarray
    index_a: np.ndarray
    index_b: np.ndarray
    actual_a: np.ndarray
    actual_b: np.ndarray
    pred_a: np.ndarray
    pred_b: np.ndarray
    loss_a: np.ndarray
    loss_b: np.ndarray
    change: np.ndarray
    only_a: int
    only_b: int
    counts_a: np.ndarray
    counts_b: np.ndarray
    rates_a: dict
    rates_b: dict
    header: list = field(default_factory=list)
    lr_finds: list = field(default_factory=list)
    timelines: list = field(default_factory=list)
    notices: list = field(default_factory=list)
    matched_by: str = "path"  # or 'file name'

    @property
    def counts(self) -> dict:
        """How many items are in both runs, in each change category, and in one run only."""
        per_code = np.bincount(self.change, minlength=len(CHANGE_NAMES))
        counts = {"common": len(self.change), "only_a": self.only_a, "only_b": self.only_b}
        counts.update({name: int(per_code[code]) for code, name in enumerate(CHANGE_NAMES)})
        return {key: int(counts[key]) for key in COUNT_KEYS}

    @property
    def still_wrong_same(self) -> int:
        """Still-wrong items predicted as the same wrong class in both runs."""
        return int(np.count_nonzero((self.change == STILL_WRONG) & (self.pred_a == self.pred_b)))

    def runs(self) -> list[dict]:
        """``[{key, id, name}]`` of A and B (the name: the run's own, else its folder)."""
        return [{"key": key, "id": run.id, "name": run.manifest.get("name") or run.path.name}
                for key, run in (("a", self.run_a), ("b", self.run_b))]

    def error_change(self) -> np.ndarray:
        """Per class, B's error rate minus A's over the common items (NaN where a run has no
        item of the class)."""
        return self.rates_b["error"] - self.rates_a["error"]

    def change_order(self) -> np.ndarray:
        """Classes by the absolute change of their error rate, largest first; classes
        without a change (undefined in a run) last, in vocab order."""
        delta = np.abs(self.error_change())
        key = np.where(np.isnan(delta), -1.0, delta)
        return np.argsort(-key, kind="stable").astype(np.int32)

    def largest_changes(self, k: int = 10) -> list[dict]:
        """The (at most) ``k`` classes whose error rate changed most, none that did not
        change: name, error rates, precision and recall in A and B, supports."""
        rows = []
        delta = self.error_change()
        for i in self.change_order()[:k]:
            if np.isnan(delta[i]) or delta[i] == 0:
                break  # the rest did not change
            rows.append({"class": self.vocab[i], "index": int(i),
                         **{f"{m}_{key}": float(rates[m][i])
                            for key, rates in (("a", self.rates_a), ("b", self.rates_b))
                            for m in ("error", "precision", "recall")},
                         "support_a": int(self.rates_a["support"][i]),
                         "support_b": int(self.rates_b["support"][i])})
        return rows

    def describe(self, k: int = 10) -> str:
        """The comparison in words: counts, notices, the header rows and the ``k`` largest
        per-class changes (what ``petlens compare A B`` prints)."""
        c, (a, b) = self.counts, self.runs()
        lines = [f"A: {a['name']} ({a['id']})", f"B: {b['name']} ({b['id']})",
                 f"{c['common']:,} items in both runs: {c['fixed']:,} fixed, {c['broken']:,} "
                 f"broken, {c['still_wrong']:,} still wrong ({self.still_wrong_same:,} as the "
                 f"same class), {c['still_right']:,} still right, {c['relabelled']:,} "
                 f"relabelled; {c['only_a']:,} only in A, {c['only_b']:,} only in B"]
        lines += [f"note: {notice}" for notice in self.notices]
        width = max(len(row["field"]) for row in self.header)
        lines.append("")
        for row in self.header:
            mark = "*" if row["changed"] else " "
            lines.append(f"{mark} {row['field']:<{width}}  {row['a']}  ->  {row['b']}")
        changes = self.largest_changes(k)
        if changes:
            lines += ["", "largest changes of per-class error rate (common items):"]
            for row in changes:
                lines.append(f"  {row['error_b'] - row['error_a']:+7.1%}  {row['class']}: "
                             f"{row['error_a']:.1%} -> {row['error_b']:.1%} "
                             f"({row['support_a']} / {row['support_b']} items)")
        return "\n".join(lines)

    def show(self, **options):
        """The comparison as a Jupyter widget (``options``: the view's UI defaults)."""
        from .widgets.compare import CompareWidget  # sugar pointing up: lazy

        return CompareWidget.from_comparison(self, **options)

    def __repr__(self) -> str:
        c = self.counts
        return (f"<petlens.Comparison {self.run_a.id!r} -> {self.run_b.id!r}: {c['common']} "
                f"common items, {c['fixed']} fixed, {c['broken']} broken, {c['relabelled']} "
                f"relabelled>")


def open_run(run) -> Run:
    """A :class:`Run` as it is, else a run folder or a run name / id (``runs.find_run``)."""
    if isinstance(run, Run):
        return run
    path = Path(run)
    if (path.is_absolute() or len(path.parts) > 1) and not path.is_dir():
        raise PetLensError(f"no run {str(run)!r}: no such folder")
    return find_run(run)


def compare(run_a, run_b) -> Comparison:
    """Compare ``run_b`` against ``run_a`` (each a :class:`Run`, a run folder, or a name /
    id in ``./petlens-runs``), item by item over their latest predictions.

    :class:`PetLensError` when there is nothing to compare (a run without predictions,
    runs of different tasks, no class or no item in common); what is compared and what is
    not otherwise goes to ``notices``.
    """
    a, b = open_run(run_a), open_run(run_b)
    preds_a, preds_b = _require_preds(a, b)
    vocab, map_a, map_b, notices = _match_vocab(a.vocab, b.vocab)
    keys_a, keys_b, renamed_a, renamed_b, how = _keys(a, b, preds_a.items, preds_b.items,
                                                      notices)
    index_a, index_b = match_items(keys_a, keys_b)
    if not len(index_a):
        raise PetLensError(
            f"runs {a.id} and {b.id} have no validation item in common (A's items look like "
            f"{_sample(preds_a.items)}, B's like {_sample(preds_b.items)}): nothing to compare")
    actual_a = map_a[preds_a.targets[index_a]]
    actual_b = map_b[preds_b.targets[index_b]]
    pred_a = map_a[preds_a.decoded[index_a]]
    pred_b = map_b[preds_b.decoded[index_b]]
    relabelled = actual_a != actual_b
    for renamed, index in ((renamed_a, index_a), (renamed_b, index_b)):
        if renamed is not None:
            relabelled |= renamed[index]
    change = categories(actual_a == pred_a, actual_b == pred_b, relabelled)
    only_a, only_b = len(preds_a) - len(index_a), len(preds_b) - len(index_b)
    if only_a or only_b:
        notices.insert(0, f"{len(index_a):,} items are in both runs and compared; "
                          f"{only_a:,} only in A and {only_b:,} only in B are not")
    n = len(vocab)
    identity = len(index_b) == len(preds_b.items) and np.array_equal(
        index_b, np.arange(len(index_b)))
    cmp = Comparison(
        a, b, vocab, preds_b.items if identity else preds_b.items[index_b], index_a, index_b,
        actual_a, actual_b, pred_a, pred_b, preds_a.losses[index_a].astype(np.float32),
        preds_b.losses[index_b].astype(np.float32), change, only_a, only_b,
        confusion_counts(actual_a, pred_a, n), confusion_counts(actual_b, pred_b, n),
        per_class_rates(actual_a, pred_a, n), per_class_rates(actual_b, pred_b, n),
        matched_by=how)
    cmp.lr_finds = lr_find_curves(a, b)
    cmp.timelines = aligned_timelines(a, b)
    cmp.header = header_rows(cmp)
    cmp.notices = notices + _run_notices(a, b)
    return cmp


# -- items and classes ---------------------------------------------------------------------
def _require_preds(a: Run, b: Run):
    """Both runs' latest predictions, or a :class:`PetLensError` saying what is missing."""
    missing = [(key, run) for key, run in (("A", a), ("B", b)) if run.preds is None]
    if len(missing) == 1 and missing[0][1].preds_skipped:
        key, run = missing[0]
        raise PetLensError(f"the runs are of different tasks: run {key} ({run.id}) recorded no "
                           f"class predictions ({run.preds_skipped}); the other is a "
                           "single-label classifier: nothing to compare item by item")
    for key, run in missing:
        why = run.preds_skipped or "it has none yet (they are recorded when an epoch's " \
                                   "validation ends)"
        raise PetLensError(f"run {key} ({run.id}) has no validation predictions to compare: "
                           f"{why}")
    for key, run in (("A", a), ("B", b)):
        if not len(run.preds):
            raise PetLensError(f"run {key} ({run.id}) has no validation items to compare")
    return a.preds, b.preds


def _match_vocab(vocab_a, vocab_b):
    """The classes of both runs (A's order, then B's own), each run's class index -> that
    vocab, and notices on classes in one run only."""
    vocab = list(vocab_a) + [name for name in dict.fromkeys(vocab_b) if name not in
                             set(vocab_a)]
    position = {}
    for i, name in enumerate(vocab):
        position.setdefault(name, i)
    map_a = np.array([position[name] for name in vocab_a], dtype=np.int32)
    map_b = np.array([position[name] for name in vocab_b], dtype=np.int32)
    only_a = [name for name in vocab_a if name not in set(vocab_b)]
    only_b = [name for name in vocab_b if name not in set(vocab_a)]
    if len(only_a) == len(vocab_a) or len(only_b) == len(vocab_b):
        raise PetLensError(f"the runs share no class name (A: {_names(vocab_a)}; B: "
                           f"{_names(vocab_b)}): different tasks, nothing to compare")
    notices = [f"{len(names)} {'class is' if len(names) == 1 else 'classes are'} only in "
               f"{key} ({_names(names)}): no item of {key}'s other run is labelled or "
               "predicted as " + ("it" if len(names) == 1 else "them")
               for key, names in (("A", only_a), ("B", only_b)) if names]
    if not only_a and not only_b and list(vocab_a) != list(vocab_b):
        notices.append("the runs list their classes in different orders: matched by name")
    return vocab, map_a, map_b, notices


def match_items(keys_a: np.ndarray, keys_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(in A, in B)`` of the keys found in both, in B's order (a key repeated in
    A matches its first occurrence).

    >>> match_items(np.array(["x", "y", "z"]), np.array(["z", "w", "x"]))
    (array([2, 0]), array([0, 2]))
    """
    if keys_a.shape == keys_b.shape and np.array_equal(keys_a, keys_b):
        every = np.arange(len(keys_b))
        return every, every  # the same items in the same order: no sort
    if not len(keys_a) or not len(keys_b):
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    order = np.argsort(keys_a, kind="stable")
    sorted_a = keys_a[order]
    where = np.searchsorted(sorted_a, keys_b)
    np.minimum(where, len(sorted_a) - 1, out=where)
    found = np.flatnonzero(sorted_a[where] == keys_b)
    return order[where[found]], found


def categories(right_a: np.ndarray, right_b: np.ndarray, relabelled: np.ndarray) -> np.ndarray:
    """Change codes (``CHANGE_NAMES``) from whether each run got each item right.

    >>> categories(np.array([1, 0, 1, 0, 0], bool), np.array([1, 1, 0, 0, 1], bool),
    ...            np.array([0, 0, 0, 0, 1], bool)).tolist()
    [0, 1, 2, 3, 4]
    """
    change = np.where(right_a, np.where(right_b, STILL_RIGHT, BROKEN),
                      np.where(right_b, FIXED, STILL_WRONG)).astype(np.uint8)
    change[relabelled] = RELABELLED
    return change


def confusion_counts(actual: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """Actual x predicted counts in the smallest integer type that holds them, built from
    the nonzero cells (no int64 matrix: 1 MB instead of 8 at 1000 classes).

    >>> confusion_counts(np.array([0, 1, 1]), np.array([0, 0, 1]), 2)
    array([[1, 0],
           [1, 1]], dtype=uint8)
    """
    cells, counts = np.unique(actual.astype(np.int64) * n_classes + predicted,
                              return_counts=True)
    peak = int(counts.max()) if len(counts) else 0
    dtype = np.uint8 if peak < 2**8 else np.int16 if peak < 2**15 else np.int32
    matrix = np.zeros((n_classes, n_classes), dtype)
    matrix.flat[cells] = counts
    return matrix


def _keys(a: Run, b: Run, items_a, items_b, notices: list):
    """The keys items are matched by, the items renamed by an applied fix queue (bool per
    item, or None), and how items were matched ('path' or 'file name')."""
    keys_a, keys_b = np.asarray(items_a, dtype=str), np.asarray(items_b, dtype=str)
    keys_a, renamed_a = _apply_undo_log("A", a, keys_a, notices)
    keys_b, renamed_b = _apply_undo_log("B", b, keys_b, notices)
    root_a, root_b = (run.manifest["data"].get("item_root") for run in (a, b))
    if root_a is None or root_b is None or _same_folder(root_a, root_b):
        return keys_a, keys_b, renamed_a, renamed_b, "path"
    inner = _rebase(root_a, root_b)
    if inner is not None:  # one data folder inside the other: ids relative to the outer one
        which, prefix = inner
        if which == "a":
            keys_a = np.char.add(prefix + "/", keys_a)
        else:
            keys_b = np.char.add(prefix + "/", keys_b)
        notices.append(f"the runs' data folders differ (A: {root_a}; B: {root_b}), one inside "
                       "the other: items were matched by their path from the outer one")
        return keys_a, keys_b, renamed_a, renamed_b, "path"
    names_a, names_b = _file_names(keys_a, "a"), _file_names(keys_b, "b")
    by_path, by_name = len(match_items(keys_a, keys_b)[0]), len(match_items(names_a,
                                                                          names_b)[0])
    if by_path >= by_name:
        notices.append(f"the runs' data folders differ (A: {root_a}; B: {root_b}): items were "
                       "matched by their path relative to each folder")
        return keys_a, keys_b, renamed_a, renamed_b, "path"
    notices.append(f"the runs' data folders differ (A: {root_a}; B: {root_b}): items were "
                   "matched by file name")
    return names_a, names_b, renamed_a, renamed_b, "file name"


def _file_names(keys: np.ndarray, tag: str) -> np.ndarray:
    """The last path component of each key; a name that occurs twice is ambiguous and
    becomes ``/<tag><position>`` (unique, and never a file name, so never matched).

    >>> _file_names(np.array(["cat/1.png", "dog/1.png", "dog/2.png"]), "a").tolist()
    ['/a0', '/a1', '2.png']
    """
    names = [key.rsplit("/", 1)[-1] for key in keys.tolist()]
    _, inverse, counts = np.unique(names, return_inverse=True, return_counts=True)
    repeated = counts[inverse.reshape(-1)] > 1
    return np.array([f"/{tag}{i}" if twice else name
                     for i, (name, twice) in enumerate(zip(names, repeated, strict=True))],
                    dtype=str)


def _same_folder(root_a: str, root_b: str) -> bool:
    return Path(root_a) == Path(root_b)


def _rebase(root_a: str, root_b: str):
    """``('a', 'sub/dir')`` when A's data folder is inside B's (A's ids need that prefix to
    be relative to B's), ``('b', ...)`` the other way round, else None."""
    pa, pb = Path(root_a), Path(root_b)
    for which, inner, outer in (("a", pa, pb), ("b", pb, pa)):
        try:
            return which, inner.relative_to(outer).as_posix()
        except ValueError:
            continue
    return None


def _apply_undo_log(key: str, run: Run, keys: np.ndarray, notices: list):
    """``keys`` with the files the fix queue renamed after this run under their new names
    (from ``petlens-removed/undo-<run id>.json`` beside the run's data), and which were
    renamed (bool per item; None without an applied log)."""
    root = run.manifest["data"].get("item_root")
    if root is None:
        return keys, None
    path = Path(root).parent / REMOVED / f"undo-{safe_id(run.id)}.json"
    if not path.is_file():
        return keys, None
    try:
        log = read_undo(path)
    except PetLensError as e:
        notices.append(f"run {key}'s undo log could not be read ({e}): items the fix queue "
                       "renamed are not matched to their new names")
        return keys, None
    if log["run"] != run.id or log["status"] != "applied" or log["data"] != Path(root).name:
        return keys, None
    prefix = log["data"] + "/"
    renamed, removed = {}, 0
    for move in log["moves"]:
        item = move["from"].removeprefix(prefix)
        if move["to"].startswith(prefix):
            renamed[item] = move["to"][len(prefix):]
        else:
            removed += 1
    flags = np.zeros(len(keys), dtype=bool)
    if renamed:
        where = np.flatnonzero(np.isin(keys, list(renamed)))
        width = max(keys.dtype.itemsize // 4, *(len(v) for v in renamed.values()))
        keys = keys.astype(f"<U{width}")
        keys[where] = [renamed[str(k)] for k in keys[where]]
        flags[where] = True
    notices.append(f"the fix queue of run {key} was applied to its data ({path.name}): "
                   f"{len(renamed)} renamed files are matched under their new names (marked "
                   f"relabelled where found), {removed} removed files are in {key} only")
    return keys, flags


# -- curves, timelines and the header -----------------------------------------------------
def lr_find_curves(a: Run, b: Run) -> list[dict]:
    """Every ``lr_find`` of both runs: ``{run, lrs, losses, valley}`` (float32 curves)."""
    curves = []
    for key, run in (("a", a), ("b", b)):
        for call in run.lr_finds:
            valley = call.suggestions.get("valley")
            curves.append({"run": key, "lrs": call.lrs.astype(np.float32),
                           "losses": call.losses.astype(np.float32),
                           "valley": float(valley) if _finite(valley) else None})
    return curves


def aligned_timelines(a: Run, b: Run) -> list[dict]:
    """Both runs' training losses and last-group learning rates on one iteration axis,
    aligned by phase: phase ``p`` of each run starts at the same ``x`` (the longer run's
    phase sets the room, so curves never overlap).

    ``x`` of an iteration is its phase's start plus its position in the phase;
    ``phase_starts`` lists where each of the run's phases starts."""
    timelines = [(key, run.timeline) for key, run in (("a", a), ("b", b))]
    n_phases = max((int(t.phase.max()) + 1 for _, t in timelines if len(t)), default=0)
    lengths = np.zeros((2, n_phases), np.int64)
    for row, (_, timeline) in enumerate(timelines):
        if len(timeline):
            lengths[row] = np.bincount(timeline.phase, minlength=n_phases)[:n_phases]
    starts = np.concatenate([[0], np.cumsum(lengths.max(axis=0))])
    result = []
    for row, (key, timeline) in enumerate(timelines):
        phase = np.asarray(timeline.phase, dtype=np.int64)
        first = np.concatenate([[0], np.cumsum(lengths[row])])  # where each phase begins
        x = starts[phase] + (np.arange(len(phase)) - first[phase]) if len(phase) else \
            np.zeros(0)
        lrs = timeline.lrs
        lr = lrs[:, -1] if lrs.ndim == 2 and lrs.shape[1] else np.full(len(phase), np.nan)
        result.append({"run": key, "x": x.astype(np.float32),
                       "loss": np.asarray(timeline.loss, dtype=np.float32),
                       "lr": np.asarray(lr, dtype=np.float32),
                       "phase_starts": [float(starts[p]) for p in range(n_phases)
                                        if lengths[row, p]]})
    return result


def header_rows(cmp: Comparison) -> list[dict]:
    """``{field, a, b, changed}`` rows, values as text: model, data, training, results (the
    runs' names are in :meth:`Comparison.runs`)."""
    a, b = cmp.run_a, cmp.run_b
    common_a = float(np.mean(cmp.actual_a != cmp.pred_a))
    common_b = float(np.mean(cmp.actual_b != cmp.pred_b))
    rows = [
        ("architecture", *(str(r.manifest["model"].get("arch") or "?") for r in (a, b))),
        ("parameters", *(_count(r.manifest["model"].get("n_params")) for r in (a, b))),
        ("classes", *(_count(len(r.vocab)) for r in (a, b))),
        ("train items", *(_count(r.manifest["data"].get("n_train")) for r in (a, b))),
        ("valid items", *(_count(r.manifest["data"].get("n_valid")) for r in (a, b))),
        ("epochs per fit", *(_epochs(r) for r in (a, b))),
        ("base lr per fit", *(_base_lrs(r) for r in (a, b))),
        ("lr_find calls", *(str(len(r.lr_finds)) for r in (a, b))),
        ("error rate", *(f"{r.error_rate:.2%} ({len(r.preds):,} items)" for r in (a, b))),
        ("error rate, common items", f"{common_a:.2%}", f"{common_b:.2%}"),
        ("valid loss", *(_valid_loss(r) for r in (a, b))),
        ("training time", *(_duration(r) for r in (a, b))),
        ("device", *(str(r.manifest.get("device") or "?") for r in (a, b))),
        ("mixed precision", *("yes" if r.manifest.get("mixed_precision") else "no"
                              for r in (a, b))),
    ]
    return [{"field": name, "a": va, "b": vb, "changed": va != vb} for name, va, vb in rows]


def _run_notices(a: Run, b: Run) -> list[str]:
    notices = []
    for key, run in (("A", a), ("B", b)):
        if not run.complete:
            notices.append(f"run {key} is partial (still training, or its last fit was "
                           "interrupted): its latest predictions are compared")
    finds = [len(a.lr_finds), len(b.lr_finds)]
    if finds == [0, 0]:
        notices.append("neither run has an lr_find")
    elif 0 in finds:
        notices.append(f"run {'A' if finds[0] == 0 else 'B'} has no lr_find: only the other "
                       "run's curve is shown")
    for key, run in (("A", a), ("B", b)):
        if not len(run.timeline):
            notices.append(f"run {key} recorded no training iterations: its timeline is empty")
    return notices


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        math.isfinite(value)


def _count(n) -> str:
    return "?" if n is None else f"{n:,}"


def _names(names) -> str:
    names = list(names)
    listed = ", ".join(repr(n) for n in names[:_LISTED])
    return listed + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")


def _sample(items) -> str:
    return ", ".join(repr(str(i)) for i in items[:2])


def _epochs(run: Run) -> str:
    fits = [f"{p['n_epoch']}" + (" frozen" if p.get("frozen_idx") else "") for p in run.phases]
    return " + ".join(fits) if fits else "none"


def _base_lrs(run: Run) -> str:
    """The peak learning rate of each fit: first to last parameter group when they differ
    (discriminative rates)."""
    timeline = run.timeline
    if not len(timeline) or timeline.lrs.ndim != 2 or not timeline.lrs.shape[1]:
        return "—"
    parts = []
    for p in np.unique(timeline.phase):
        peak = timeline.lrs[timeline.phase == p].max(axis=0)
        first, last = float(peak[0]), float(peak[-1])
        parts.append(f"{last:.1e}" if math.isclose(first, last, rel_tol=1e-3)
                     else f"{first:.1e}…{last:.1e}")
    return " + ".join(parts)


def _valid_loss(run: Run) -> str:
    last = next((e for e in reversed(run.timeline.epochs)
                 if _finite(e.get("valid_loss"))), None)
    return "—" if last is None else f"{last['valid_loss']:.4f}"


def _duration(run: Run) -> str:
    seconds = 0.0
    for phase in run.phases:
        if phase.get("started") and phase.get("ended"):
            seconds += (datetime.fromisoformat(phase["ended"])
                        - datetime.fromisoformat(phase["started"])).total_seconds()
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min" if seconds < 3600 else f"{seconds / 3600:.1f} h"
