"""Fixtures of the tests: fresh learners on the tiny data, headless Chromium (the data and
the recorded session are in the root conftest.py, shared with the docstring examples)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def one_thread():
    """One torch thread for a module: on a small shared CPU, two threads wait on each other
    at every op (3-4x slower here), and the saliency thresholds were measured with one."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


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
def browser():
    """Headless Debian Chromium; the test skips only where Chromium is not installed."""
    from browser import launch
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()
