"""Fixtures shared by the tests and the docstring examples (``--doctest-modules``): tiny
synthetic pets data and one tiny real fastai session recorded by PetLens."""

from __future__ import annotations

import warnings

import pytest
from _pytest.doctest import DoctestItem

warnings.filterwarnings("ignore", message=".*torch.jit.script.*", category=FutureWarning)

SMALL_DATA = dict(n_classes=4, per_class=12, size=48, seed=0)


@pytest.fixture(scope="session")
def pets_path(tmp_path_factory):
    from petlens.demo import make_pets

    return make_pets(tmp_path_factory.mktemp("pets"), **SMALL_DATA)


@pytest.fixture(scope="session")
def dls(pets_path):
    from petlens.demo import pets_dataloaders

    return pets_dataloaders(pets_path, item_size=40, size=32, bs=8)


@pytest.fixture(scope="session")
def session_run(dls, tmp_path_factory):
    """One recorded chapter-5 session: ``lr_find`` then ``fine_tune(1, freeze_epochs=1)``.

    Returns the learner, the lens and what fastai itself returned / recorded.
    """
    from fastai.vision.all import (
        ProgressCallback,
        error_rate,
        minimum,
        resnet18,
        set_seed,
        slide,
        steep,
        valley,
        vision_learner,
    )

    from petlens import PetLens

    set_seed(0, reproducible=True)
    tmp = tmp_path_factory.mktemp("session")
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate,
                           path=tmp / "learn")
    learn.remove_cb(ProgressCallback)
    lens = PetLens(path=tmp / "runs")
    learn.add_cb(lens)
    suggested = learn.lr_find(num_it=40, show_plot=False,
                              suggest_funcs=(minimum, steep, valley, slide))
    lr_find_record = {"lrs": list(learn.recorder.lrs), "losses": list(learn.recorder.losses)}
    learn.fine_tune(1, base_lr=2e-3, freeze_epochs=1, lr_mult=10)
    lens.wait_for_saliency(progress=False)  # the maps, computed in the background
    return {"learn": learn, "lens": lens, "suggested": suggested,
            "lr_find_record": lr_find_record, "base_lr": 2e-3, "lr_mult": 10}


@pytest.fixture(autouse=True)
def _doctest_names(request, doctest_namespace):
    """Names the docstring examples use: ``tmp`` (a fresh folder, also the current one, so
    that ``PetLens()`` writes its runs there), ``dls``, ``learn`` (a fresh resnet18 learner,
    untrained) and ``run`` (the recorded session, to read)."""
    if not isinstance(request.node, DoctestItem):
        return
    from fastai.vision.all import ProgressCallback, error_rate, resnet18, vision_learner

    tmp = request.getfixturevalue("tmp_path")
    request.getfixturevalue("monkeypatch").chdir(tmp)
    dls = request.getfixturevalue("dls")
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate, path=tmp)
    learn.remove_cb(ProgressCallback)
    learn.logger = lambda *args: None  # fastai prints each epoch's metrics without a bar
    run = request.getfixturevalue("session_run")["lens"].run
    doctest_namespace.update(tmp=tmp, dls=dls, learn=learn, run=run)
