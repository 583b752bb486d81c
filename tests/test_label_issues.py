"""Label issues: cleanlab's numbers from a run's predictions, top-k storage against every
probability, the label_issues.npz cache."""

from __future__ import annotations

import errno
import json

import numpy as np
import pytest
from cleanlab.dataset import find_overlapping_classes
from cleanlab.filter import find_label_issues as cleanlab_flags
from cleanlab.rank import get_label_quality_scores
from runs_support import run_with_items

import petlens.issue_cache
from petlens import PetLensError, Preds, Run, load_run
from petlens.demo.scale_run import write_run
from petlens.label_issues import cards_state, find_label_issues, probability_matrix
from petlens.views import TopLossesView


def noisy_predictions(n_classes, n_items, *, noise=0.1, sharpness=4.0, seed=0):
    """Probabilities of a decent model on data with ``noise`` of the labels flipped: returns
    (labels as given, probabilities float16, which labels were flipped)."""
    rng = np.random.default_rng(seed)
    true = rng.integers(0, n_classes, n_items)
    logits = rng.normal(0, 1, (n_items, n_classes))
    logits[np.arange(n_items), true] += sharpness
    neighbour = (true + 1) % n_classes  # a confusable class for each
    logits[np.arange(n_items), neighbour] += sharpness / 2
    probs = np.exp(logits - logits.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    flipped = rng.random(n_items) < noise
    given = np.where(flipped, (true + rng.integers(1, n_classes, n_items)) % n_classes, true)
    return given, probs.astype(np.float16), flipped


def preds_of(given, probs, *, top_k=None):
    """A ``Preds`` as the recorder stores it: every probability, or the ``top_k`` largest
    and the given label's."""
    n = len(given)
    rows = np.arange(n)
    common = dict(targets=given.astype(np.int32), decoded=probs.argmax(1).astype(np.int32),
                  losses=-np.log(probs[rows, given].astype(np.float32) + 1e-6),
                  items=np.array([f"i{i}.jpg" for i in range(n)]), phase=0, epoch=0)
    if top_k is None:
        return Preds(**common, probs=probs)
    classes = np.argsort(-probs.astype(np.float32), axis=1, kind="stable")[:, :top_k]
    return Preds(**common, topk_probs=np.take_along_axis(probs, classes, 1),
                 topk_classes=classes.astype(np.int16), target_probs=probs[rows, given])


def test_numbers_are_cleanlabs_on_every_probability():
    given, probs, _ = noisy_predictions(12, 1_500)
    issues = find_label_issues(preds_of(given, probs), [str(c) for c in range(12)])
    p = probs.astype(np.float32) / probs.astype(np.float32).sum(1, keepdims=True)
    np.testing.assert_allclose(issues.scores, get_label_quality_scores(given, p), rtol=1e-6)
    np.testing.assert_array_equal(issues.flags, cleanlab_flags(given, p))
    np.testing.assert_array_equal(issues.class_issues, np.bincount(given[issues.flags],
                                                                   minlength=12))
    table = find_overlapping_classes(labels=given, pred_probs=p)
    table = table[table["Num Overlapping Examples"] > 0]
    expected = {tuple(sorted(pair)) for pair in
                table[["Class Index A", "Class Index B"]].to_numpy()[:5].tolist()}
    assert {tuple(pair) for pair in issues.pairs[:5].tolist()} == expected
    assert not issues.approximate


def test_flags_find_the_flipped_labels():
    given, probs, flipped = noisy_predictions(12, 1_500)
    issues = find_label_issues(preds_of(given, probs), [str(c) for c in range(12)])
    precision = flipped[issues.flags].mean()
    recall = issues.flags[flipped].mean()
    assert precision > 0.8 and recall > 0.8, (precision, recall)  # base rate: 0.1


@pytest.mark.parametrize("sharpness", [4.0, 8.0])
def test_top_k_storage_agrees_with_every_probability_at_200_classes(sharpness):
    given, probs, _ = noisy_predictions(200, 6_000, sharpness=sharpness)
    vocab = [f"class_{c}" for c in range(200)]
    full = find_label_issues(preds_of(given, probs), vocab)
    topk = find_label_issues(preds_of(given, probs, top_k=10), vocab)
    assert topk.approximate and topk.meta["top_k"] == 10
    np.testing.assert_allclose(topk.scores, full.scores, atol=2e-3)  # the given label's: kept
    agreement = np.mean(topk.flags == full.flags)
    assert agreement >= 0.95, agreement
    assert full.flags.sum() > 100  # the comparison is about real flags, not all-False


def test_rebuilt_matrix_keeps_values_rows_and_order():
    given, probs, _ = noisy_predictions(50, 300)
    rebuilt, approximate = probability_matrix(preds_of(given, probs, top_k=5), 50)
    assert approximate and rebuilt.shape == (300, 50)
    np.testing.assert_allclose(rebuilt.sum(1), 1, rtol=1e-5)
    np.testing.assert_array_equal(rebuilt.argmax(1), probs.argmax(1))
    top5 = np.sort(probs.astype(np.float32), 1)[:, -5:]
    rest = np.sort(rebuilt, 1)[:, :-6]  # the spread values are below every kept one
    assert (rest.max(1) <= top5.min(1) * 1.01).all()


@pytest.fixture
def scale_run(tmp_path):
    return load_run(write_run(tmp_path, n_classes=37, n_items=1_480))


def test_the_cache_is_written_reused_and_recomputed_when_predictions_change(scale_run):
    issues = scale_run.label_issues
    cache = scale_run.path / "label_issues.npz"
    assert issues.cached and cache.is_file() and "computed and cached" in issues.note
    stamp = cache.stat().st_mtime_ns
    again = load_run(scale_run.path).label_issues
    assert again.note == "read from label_issues.npz" and cache.stat().st_mtime_ns == stamp
    np.testing.assert_array_equal(again.flags, issues.flags)
    assert again.meta["preds"] == scale_run.pred_sets[-1]["file"]
    # a later epoch replaces the predictions file: the cache follows it
    preds = scale_run.path / scale_run.pred_sets[-1]["file"]
    with np.load(preds) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["targets"] = arrays["decoded"]  # a perfect model: far fewer flags
    np.savez(preds, **arrays)
    fresh = load_run(scale_run.path).label_issues
    assert "computed and cached" in fresh.note
    np.testing.assert_array_equal(fresh.given, arrays["decoded"])
    assert fresh.flags.sum() < issues.flags.sum() / 4
    assert load_run(scale_run.path).label_issues.note == "read from label_issues.npz"


def test_a_read_only_run_folder_gets_the_numbers_in_memory(scale_run, monkeypatch):
    def read_only(*args):  # what a read-only file system answers (root ignores chmod)
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(petlens.issue_cache, "atomic_write_npz", read_only)
    issues = scale_run.label_issues
    assert not issues.cached and issues.note.startswith("not cached: the run folder cannot")
    assert len(issues.flags) == 1_480 and not (scale_run.path / "label_issues.npz").exists()


def test_cards_state_lines_up_with_the_top_loss_items(scale_run):
    state = cards_state(scale_run.label_issues, scale_run.vocab)
    items = TopLossesView.from_run(scale_run).state()["items"]
    assert len(state["label_quality"]) == len(state["label_issue"]) == len(items)
    assert state["label_issues_info"]["n_flagged"] == int(state["label_issue"].sum())
    assert len(state["class_issues"]) == 37
    pair = state["overlapping_pairs"][0]
    assert 0 <= pair["a"] < pair["b"] < 37 and pair["examples"] >= 1
    json.dumps(state["overlapping_pairs"] + [state["label_issues_info"]])  # plain JSON


def test_runs_without_predictions_say_why(tmp_path):
    run = load_run(run_with_items(tmp_path, ["a.jpg"], ["x"], ["x", "y"]))
    assert len(run.label_issues.flags) == 1  # one item still works
    run.manifest["artefacts"].update(preds=[], preds_skipped="multi-label targets")
    with pytest.raises(PetLensError, match="no validation predictions: multi-label targets"):
        Run(run.path, run.manifest).label_issues  # noqa: B018
