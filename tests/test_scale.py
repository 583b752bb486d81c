"""Many classes and many items: top-k probability storage, 1000 classes, 50,000 items."""

from __future__ import annotations

import numpy as np
import pytest
from browser import open_html

from petlens import PetLens, PetLensError, load_run
from petlens.views import TopLossesView


def test_top_k_storage_keeps_exact_confusion_and_actual_class_probabilities(make_learner,
                                                                           tmp_path):
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", probs_top_k=2, thumbs=False, saliency=None)
    learn.add_cb(lens)
    learn.fit(1, 1e-3)
    run = load_run(lens.path)
    probs, targets = learn.get_preds()
    probs = probs.numpy()
    preds = run.preds
    assert preds.probs is None and preds.top_k == 2 and run.pred_sets[-1]["top_k"] == 2
    top2 = np.argsort(-probs, 1, kind="stable")[:, :2]
    np.testing.assert_array_equal(np.sort(preds.topk_classes, 1), np.sort(top2, 1))
    np.testing.assert_allclose(preds.topk_probs.astype(np.float32),
                               np.take_along_axis(probs, preds.topk_classes, 1), atol=1e-3)
    rows = np.arange(len(targets))
    np.testing.assert_allclose(preds.prob_actual(), probs[rows, targets.numpy()], atol=1e-3)
    np.testing.assert_allclose(preds.prob_pred(), probs.max(1), atol=1e-3)
    np.testing.assert_array_equal(preds.decoded, probs.argmax(1))
    expected = np.zeros((len(run.vocab),) * 2, dtype=int)
    np.add.at(expected, (targets.numpy(), probs.argmax(1)), 1)
    np.testing.assert_array_equal(run.confusion_matrix(), expected)
    view = TopLossesView.from_run(run)
    np.testing.assert_allclose(view.prob_actual, probs[rows, targets.numpy()], atol=1e-3)


def test_probs_top_k_option_is_checked():
    for bad in (0, -3, 2.5, "all", True):
        with pytest.raises(PetLensError, match="probs_top_k"):
            PetLens(probs_top_k=bad)


def test_a_thousand_class_learner_switches_to_top_k_and_its_report_renders(
        pets_path, tmp_path, browser):
    from fastai.vision.all import get_image_files, resnet18, vision_learner

    from petlens.demo import pets_dataloaders

    breeds = sorted({p.name.rsplit("_", 1)[0] for p in get_image_files(pets_path)})
    vocab = breeds + [f"breed_{i:04d}" for i in range(1000 - len(breeds))]
    dls = pets_dataloaders(pets_path, item_size=40, size=32, bs=8, vocab=vocab)
    learn = vision_learner(dls, resnet18, pretrained=False, path=tmp_path / "learn")
    learn.remove_cb(learn.progress)
    lens = PetLens(path=tmp_path / "runs", saliency=None)
    learn.add_cb(lens)
    learn.fit(1, 1e-3)

    run = load_run(lens.path)
    assert len(run.vocab) == 1000 and run.preds.probs is None and run.preds.top_k == 10
    probs, targets = learn.get_preds()
    assert run.confusion_matrix().shape == (1000, 1000)
    assert run.confusion_matrix().sum() == len(targets)
    np.testing.assert_array_equal(run.preds.decoded, probs.argmax(1).numpy())
    assert run.most_confused()[0][2] >= 1
    probe = open_html(browser, tmp_path / "report.html", run.export_html().read_text("utf-8"))
    assert probe.errors == [] and probe.network_requests == []
    assert probe.painted_pixels("canvas.petlens-cells") > 1000


def linear_learner(n_items: int, n_classes: int, path, cbs=()):
    """A real fastai ``Learner`` whose model costs nothing: a linear layer over noise."""
    import torch
    from fastai.data.core import DataLoaders
    from fastai.learner import Learner
    from fastai.losses import CrossEntropyLossFlat
    from fastai.metrics import error_rate
    from torch import nn
    from torch.utils.data import TensorDataset

    torch.manual_seed(0)
    data = [TensorDataset(torch.randn(n, 8), torch.randint(0, n_classes, (n,)))
            for n in (256, n_items)]
    dls = DataLoaders.from_dsets(*data, bs=1024, num_workers=0)
    learn = Learner(dls, nn.Linear(8, n_classes), loss_func=CrossEntropyLossFlat(),
                    metrics=error_rate, path=path, cbs=list(cbs))
    learn.remove_cb(learn.progress)
    return learn


def test_fifty_thousand_items_by_a_thousand_classes_record_load_and_report(tmp_path,
                                                                          browser):
    n_items, n_classes = 50_000, 1000
    lens = PetLens(path=tmp_path / "runs")
    learn = linear_learner(n_items, n_classes, tmp_path, cbs=[lens])
    learn.fit(1, 1e-3)

    run = load_run(lens.path)
    full_bytes = n_items * n_classes * 2  # the float16 probabilities petlens does not keep
    preds_file = lens.path / run.pred_sets[-1]["file"]
    assert preds_file.stat().st_size < 0.1 * full_bytes
    assert run.vocab == [str(c) for c in range(n_classes)]  # plain DataLoaders: numbered
    preds = run.preds
    assert len(preds) == n_items and preds.top_k == 10
    kept = sum(a.nbytes for a in (preds.topk_probs, preds.topk_classes, preds.target_probs))
    assert kept < 0.1 * full_bytes
    assert run.confusion_matrix().sum() == n_items
    assert run.error_rate == pytest.approx(learn.recorder.values[-1][-1])  # fastai's metric

    report = run.export_html()
    assert report.stat().st_size < 5e6
    probe = open_html(browser, tmp_path / "report.html", report.read_text("utf-8"))
    assert probe.errors == [] and probe.network_requests == []
    assert probe.painted_pixels("canvas.petlens-cells") > 1000
