"""Synthetic pets with known wrong labels, and the triage loop measured against the truth."""

from __future__ import annotations

import hashlib
import json

import pytest

from petlens.demo.synthetic import choose_breeds, flipped_labels, make_pets

ARGS = dict(n_classes=4, per_class=10, size=32, seed=3)


def _hashes(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_no_noise_writes_what_it_always_wrote(tmp_path):
    clean = make_pets(tmp_path / "a", **ARGS)
    same = make_pets(tmp_path / "b", **ARGS, label_noise=0.0)
    assert _hashes(clean / "images") == _hashes(same / "images")
    assert json.loads((same / "petlens-synthetic.json").read_text()) == {
        "format": 1, **ARGS, "complete": True}
    assert flipped_labels(same) == {}


def test_label_noise_renames_a_known_share_to_other_breeds(tmp_path):
    clean = _hashes(make_pets(tmp_path / "clean", **ARGS) / "images")
    noisy_path = make_pets(tmp_path / "noisy", **ARGS, label_noise=0.1)
    noisy, flipped = _hashes(noisy_path / "images"), flipped_labels(noisy_path)
    assert len(flipped) == 4 and len(noisy) == len(clean) == 40
    by_hash = {digest: name for name, digest in clean.items()}
    for name, true_breed in flipped.items():
        given = name.rsplit("_", 1)[0]
        assert given != true_breed and given in choose_breeds(4)
        assert by_hash[noisy[name]].rsplit("_", 1)[0] == true_breed  # same image, new name
        assert (noisy_path / "masks" / name.replace(".jpg", ".png")).is_file()
    unflipped = {n: d for n, d in noisy.items() if n not in flipped}
    assert all(clean.get(n) == d for n, d in unflipped.items())
    assert make_pets(tmp_path / "noisy", **ARGS, label_noise=0.1) == noisy_path  # cached


def test_label_noise_is_checked(tmp_path):
    with pytest.raises(ValueError, match="label_noise"):
        make_pets(tmp_path, **ARGS, label_noise=1.5)


def test_flags_find_the_flipped_files_and_true_fixes_restore_the_labels(tmp_path):
    """The loop without training (the trained version, with its numbers, is
    benchmarks/label_noise.py: too slow for the suite): a model that learned the true breeds
    (probabilities drawn around them) over every image of the noisy data as validation set;
    cleanlab must flag the flipped files, and applying the true fixes must give every image
    its true breed's name."""
    import numpy as np
    from runs_support import run_with_items

    from petlens import load_run
    from petlens.demo.label_noise import flag_quality, true_fixes

    args = dict(n_classes=6, per_class=20, size=32, seed=1)
    clean = _hashes(make_pets(tmp_path / "clean", **args) / "images")
    data = make_pets(tmp_path / "noisy", **args, label_noise=0.1)
    flipped, vocab = flipped_labels(data), choose_breeds(6)
    names = sorted(p.name for p in (data / "images").iterdir())
    given = [n.rsplit("_", 1)[0] for n in names]
    true = np.array([vocab.index(flipped.get(n, g)) for n, g in zip(names, given, strict=True)])
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 1, (len(names), 6))
    logits[np.arange(len(names)), true] += 3.5
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    run = load_run(run_with_items(tmp_path / "runs", names, given, vocab, probs=probs))

    quality = flag_quality(run, flipped)
    assert quality["flipped"] == 12 and quality["base_rate"] == pytest.approx(0.1)
    assert quality["precision"] >= 0.5 and quality["recall"] >= 0.75, quality

    run.fixes.update(true_fixes(run, flipped))
    run.fixes.apply(data / "images", echo=lambda *_: None)
    fixed = _hashes(data / "images")
    by_hash = {digest: name.rsplit("_", 1)[0] for name, digest in clean.items()}
    assert sorted(by_hash[d] for d in fixed.values()) == sorted(by_hash.values())
    assert all(by_hash[digest] == name.rsplit("_", 1)[0] for name, digest in fixed.items())
