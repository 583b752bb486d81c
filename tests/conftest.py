"""Shared fixtures: tiny synthetic pets data and a tiny real fastai learner trained on it."""

from __future__ import annotations

import warnings

import pytest

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


@pytest.fixture
def make_learner(dls, tmp_path):
    """A fresh resnet18 learner (no weights downloaded) with a temporary ``path``."""
    from fastai.vision.all import ProgressCallback, error_rate, resnet18, vision_learner

    def make(**kwargs):
        learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate,
                               path=tmp_path / "learn", **kwargs)
        learn.remove_cb(ProgressCallback)
        return learn

    return make


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
    return {"learn": learn, "lens": lens, "suggested": suggested,
            "lr_find_record": lr_find_record, "base_lr": 2e-3, "lr_mult": 10}


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium; the test skips only where Chromium is not installed."""
    from browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
