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
