"""What PetLens records during a real chapter-5 session on the synthetic pets."""

from __future__ import annotations

import numpy as np
import pytest

from petlens import load_run


def test_run_folder_follows_the_contract(session_run):
    lens = session_run["lens"]
    run = load_run(lens.path)
    files = {p.relative_to(run.path).as_posix() for p in run.path.rglob("*") if p.is_file()}
    assert {"manifest.json", "timeline.npz", "lr_find.json"} <= files
    assert not [f for f in files if f.endswith((".pkl", ".pth", ".tmp"))]
    assert run.manifest["schema"] == "petlens.run/1"
    assert run.complete is True
    assert [p["status"] for p in run.phases] == ["finished", "finished"]
    assert run.vocab == list(session_run["learn"].dls.vocab)
    assert run.manifest["model"]["arch"] == "resnet18"
    names = [g["name"] for g in run.layer_groups]
    assert names == ["body[0:6]", "body[6:8]", "head"]
    assert sum(g["n_params"] for g in run.layer_groups) == run.manifest["model"]["n_params"]


def test_captured_preds_equal_get_preds(session_run):
    learn = session_run["learn"]
    preds = session_run["lens"].run.preds
    probs, targets, losses = learn.get_preds(with_loss=True)
    np.testing.assert_allclose(preds.probs.astype(np.float32), probs.numpy(), atol=1e-3)
    np.testing.assert_array_equal(preds.targets, targets.numpy())
    np.testing.assert_allclose(preds.losses, losses.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(preds.decoded, probs.argmax(1).numpy())
    # every validation item exactly once, in the validation set's order
    valid_names = [p.name for p in learn.dls.valid.items]
    assert list(preds.items) == valid_names
    assert len(set(preds.items)) == len(learn.dls.valid_ds)


def test_fine_tune_is_one_timeline_with_two_phases(session_run):
    learn, run = session_run["learn"], session_run["lens"].run
    tl = run.timeline
    n_batches = len(learn.dls.train)
    assert len(tl) == 2 * n_batches
    np.testing.assert_array_equal(tl.phase, [0] * n_batches + [1] * n_batches)
    frozen, unfrozen = tl.trainable[tl.phase == 0], tl.trainable[tl.phase == 1]
    assert (frozen == [False, False, True]).all()  # only the head learns while frozen
    assert unfrozen.all()
    assert np.isfinite(tl.loss).all() and tl.lrs.shape == (len(tl), 3)
    # phase 2 uses fastai's discriminative rates: slice(base_lr/2/lr_mult, base_lr/2)
    base_lr, lr_mult = session_run["base_lr"], session_run["lr_mult"]
    lrs = tl.lrs[tl.phase == 1]
    np.testing.assert_allclose(lrs[:, 0] / lrs[:, 2], 1 / lr_mult, rtol=1e-4)
    np.testing.assert_allclose(lrs[:, 1] / lrs[:, 2], 1 / np.sqrt(lr_mult), rtol=1e-4)
    np.testing.assert_allclose(lrs[:, 2], one_cycle(base_lr / 2, n_batches, 0.3, 5.0), rtol=1e-5)
    # frozen phase: fastai's slice(base_lr) gives the frozen groups base_lr/10
    frozen_cycle = one_cycle(base_lr, n_batches, 0.99, 25.0)
    np.testing.assert_allclose(tl.lrs[tl.phase == 0],
                               np.stack([frozen_cycle / 10, frozen_cycle / 10, frozen_cycle], 1),
                               rtol=1e-5)
    kinds = [e["kind"] for e in tl.events]
    assert kinds.index("freeze") < kinds.index("unfreeze")
    unfreeze = next(e for e in tl.events if e["kind"] == "unfreeze")
    assert unfreeze["iter"] == n_batches
    assert [(e["phase"], e["epoch"]) for e in tl.epochs] == [(0, 0), (1, 0)]
    assert {"train_loss", "valid_loss", "error_rate"} <= set(tl.epochs[-1])
    assert tl.epochs[-1]["error_rate"] == pytest.approx(run.error_rate)


def one_cycle(lr_max, n_iter, pct_start, div, div_final=1e5):
    """fastai's ``fit_one_cycle`` learning rate at each of ``n_iter`` iterations."""
    from fastai.callback.schedule import combined_cos

    sched = combined_cos(pct_start, lr_max / div, lr_max, lr_max / div_final)
    return np.array([float(sched(i / n_iter)) for i in range(n_iter)])


def test_lr_find_record_equals_what_fastai_returned(session_run):
    run = session_run["lens"].run
    (call,) = run.lr_finds
    suggested = session_run["suggested"]
    for name in ("minimum", "steep", "valley", "slide"):
        assert call.suggestions[name] == getattr(suggested, name)
    record = session_run["lr_find_record"]
    np.testing.assert_allclose(call.lrs, record["lrs"])
    np.testing.assert_allclose(call.losses, [float(x) for x in record["losses"]], rtol=1e-6)
    assert len(call.raw_losses) == len(call.lrs) and np.isfinite(call.raw_losses).all()
    assert call.iter == 0  # before any training iteration
    assert call.frozen_idx == 0  # vision_learner(pretrained=False) starts unfrozen


def test_views_equal_classification_interpretation(session_run):
    from fastai.interpret import ClassificationInterpretation

    learn, run = session_run["learn"], session_run["lens"].run
    interp = ClassificationInterpretation.from_learner(learn)
    np.testing.assert_array_equal(run.confusion_matrix(), interp.confusion_matrix())
    assert run.most_confused() == [(a, p, int(n)) for a, p, n in interp.most_confused()]
    assert run.most_confused(2) == [(a, p, int(n)) for a, p, n in interp.most_confused(2)]
    fa_losses, fa_idx = interp.top_losses(5)
    losses, idx = run.top_losses(5)
    np.testing.assert_allclose(losses, fa_losses.numpy(), rtol=1e-4)
    distinct = np.diff(fa_losses.numpy()) != 0
    np.testing.assert_array_equal(idx[:-1][distinct], fa_idx.numpy()[:-1][distinct])
    shares = run.confusion_matrix(normalize="true")
    np.testing.assert_allclose(shares.sum(1), 1.0)


def test_thumbnails_cover_top_losses_and_are_named_safely(session_run):
    from PIL import Image

    run = session_run["lens"].run
    _, top = run.top_losses(10)
    for item in run.preds.items[top]:
        thumb = run.thumbnail(str(item))
        assert thumb is not None and thumb.is_file()
        assert str(item).split(".")[0] not in thumb.name
        with Image.open(thumb) as img:
            assert img.format == "JPEG" and max(img.size) <= 128


def test_run_reads_without_fastai_in_a_fresh_interpreter(session_run):
    import subprocess
    import sys

    code = (
        "import sys, petlens; run = petlens.load_run(sys.argv[1]); "
        "print(len(run.timeline), run.error_rate is not None); "
        "assert 'fastai' not in sys.modules and 'torch' not in sys.modules"
    )
    out = subprocess.run([sys.executable, "-c", code, str(session_run["lens"].path)],
                         capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str(len(session_run["lens"].run.timeline)), "True"]
