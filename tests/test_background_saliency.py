"""Saliency maps in the background (issue 19): the run is read at once after a fit, the maps
come from a snapshot of the model at the fit's end, a later fit cancels them, a report waits
for them (or says what it lacks), and an interrupt or the process exiting leaves a readable
run. The saliency thread is held at a progress message by a :class:`Gate` the test opens, so
that every state is reached deterministically (no test depends on timing)."""

from __future__ import annotations

import _thread
import json
import re
import shutil
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
import torch

from petlens import PetLens, load_run
from petlens.report import export_html
from petlens.saliency import explain
from petlens.saliency.frame import display_map
from petlens.saliency.inputs import valid_item, validation_resize
from petlens.saliency.normalise import quantise
from petlens.saliency.record import take_snapshot

METHODS = ("integrated_gradients", "gradcam")
TOP_K = 5  # batches of 4 on a CPU: two per method and target


class Gate:
    """A live-feed subscriber that holds the saliency thread of fit ``phase`` when it says it
    has ``at`` maps done, until :meth:`open` (it is called from that thread)."""

    def __init__(self, phase: int = 0, at: int = 0):
        self.phase, self.at = phase, at
        self.reached, self._opened = threading.Event(), threading.Event()
        self.threads: set[str] = set()

    def update(self, message):
        if message["kind"] == "saliency":
            self.threads.add(threading.current_thread().name)
            if message["phase"] == self.phase and message["done"] >= self.at:
                self.reached.set()
                self._opened.wait(120)

    def open(self):
        self._opened.set()


@pytest.fixture
def lens_learner(make_learner, tmp_path):
    torch.manual_seed(0)
    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=METHODS, saliency_top_k=TOP_K)
    learn.add_cb(lens)
    return lens, learn


def held(lens, **where) -> Gate:
    gate = Gate(**where)
    lens.subscribe(gate.update)
    return gate


def saliency_entry(lens) -> dict:
    manifest = json.loads((lens.path / "manifest.json").read_text())
    return manifest["artefacts"]["saliency"]


def expected_maps(learn, run) -> dict:
    """The stored rows computed the synchronous way: ``explain`` on the learner as it is now,
    batch by batch as the background job batches them: ``{(item, method, target): map}``."""
    preds = run.preds
    plan = take_snapshot(learn, preds.items, preds.losses, preds.targets, preds.decoded,
                         methods=METHODS, k=TOP_K, smallest=run.manifest["artefacts"]["thumbs"][
                             "size"])
    resize, out = validation_resize(learn.dls.valid), {}
    for method, target, indices in plan.batches:
        maps = explain(learn, indices, method, target, bs=len(indices)).maps
        for j, index in enumerate(indices):
            shown = display_map(maps[j], valid_item(learn, index), resize, plan.longest[index])
            out[(str(preds.items[index]), method, target)] = quantise(shown)
    return out


def report_state(path) -> dict:
    """The trait values a report inlines."""
    page = path.read_text("utf-8")
    return json.loads(re.search(r'id="petlens-state">(.*?)</script>', page, re.S).group(1))


def stored_maps(run) -> dict:
    return {(s.item, s.method, s.target): s.map for s in run.saliency}


def test_every_method_has_a_place_in_the_cost_order():
    from petlens.saliency import METHODS as ALL
    from petlens.saliency.record import COST_ORDER

    assert sorted(COST_ORDER) == sorted(ALL) and COST_ORDER[0] == "gradcam"


def test_the_run_is_read_at_once_and_the_maps_come_from_the_fits_snapshot(lens_learner):
    lens, learn = lens_learner
    gate = held(lens)
    learn.fit(1)
    assert gate.reached.wait(60)  # the thread is held before its first batch

    run = lens.run  # no map computed by reading the run
    info = run.saliency_info
    assert info["status"] == "pending" and info["phase"] == 0 and info["done"] == 0
    assert info["order"] == ["gradcam", "integrated_gradients"]  # the cheap one first
    assert info["methods"] == [] and run.saliency == []
    dash = lens.show()
    progress = dash.tl_saliency_progress
    assert progress["status"] == "pending" and progress["total"] == info["total"]
    assert sorted(progress["indices"]) == sorted(int(i) for i in run.top_losses(TOP_K)[1])
    updates = []
    dash.observe(lambda change: updates.append((threading.current_thread().name,
                                                change["new"])), names="tl_saliency_progress")

    expected = expected_maps(learn, run)  # the synchronous path, on the fit's weights
    with torch.no_grad():  # the user goes on changing the model: the maps must not see it
        for parameter in learn.model.parameters():
            parameter.mul_(-3.0)
    learn.unfreeze()
    gate.open()
    assert lens.wait_for_saliency(progress=False)

    run = lens.run
    info = run.saliency_info
    assert info["status"] == "complete" and info["done"] == info["total"] == len(expected)
    assert info["methods"] == list(METHODS) and info["phase"] == 0
    stored = stored_maps(run)
    assert stored.keys() == expected.keys()
    for key, values in expected.items():
        np.testing.assert_array_equal(stored[key], values, err_msg=str(key))
    assert gate.threads == {"petlens-saliency-0"}
    # the dashboard followed from the saliency thread: counts, then the stored maps
    assert any(name == "petlens-saliency-0" and 0 < p.get("done", 0) < info["total"]
               for name, p in updates)
    assert dash.tl_saliency_progress == {} and len(dash.tl_saliency) == len(expected)


def test_a_fit_started_while_maps_are_pending_cancels_them_and_computes_its_own(lens_learner):
    from fastai.callback.core import Callback

    lens, learn = lens_learner
    gate = held(lens, phase=0, at=1)  # phase 0 held after its first stored batch
    learn.fit(1)
    assert gate.reached.wait(60)
    first = saliency_entry(lens)
    assert first["phase"] == 0 and first["status"] == "pending" and first["done"] > 0

    seen = []

    class Peek(Callback):  # what the run folder says while the second fit trains
        def after_train(self):
            seen.append(saliency_entry(lens))

    learn.fit(1, cbs=Peek())
    assert seen[0]["phase"] == 0 and seen[0]["status"] == "cancelled"
    assert seen[0]["done"] == first["done"]  # the maps stored so far stay, marked cancelled
    gate.open()  # the cancelled job goes on to its next batch check and stops there
    assert lens.wait_for_saliency(progress=False)

    run = lens.run
    info = run.saliency_info
    assert info["phase"] == 1 and info["status"] == "complete"
    stored = stored_maps(run)
    expected = expected_maps(learn, run)  # the second fit's weights: nothing of the first
    assert stored.keys() == expected.keys()
    for key, values in expected.items():
        np.testing.assert_array_equal(stored[key], values, err_msg=str(key))


def test_a_report_written_while_pending_waits_or_says_what_is_missing(lens_learner, tmp_path,
                                                                       capsys):
    lens, learn = lens_learner
    gate = held(lens, at=1)
    learn.fit(1)
    assert gate.reached.wait(60)
    run = lens.run
    done, total = run.saliency_info["done"], run.saliency_info["total"]

    # what `petlens report` in another process sees: the folder as it is, no job to wait for
    elsewhere = shutil.copytree(lens.path, tmp_path / "copy")
    state = report_state(export_html(load_run(elsewhere), tmp_path / "partial.html"))
    said = capsys.readouterr().out
    assert f"{done} of {total} saliency maps of fit 1: the rest were still being computed" in said
    assert state["tl_saliency_progress"]["status"] == "pending"  # the page says so too
    assert state["tl_saliency_progress"]["done"] == done == len(state["tl_saliency"]) > 0

    run.export_html(tmp_path / "no-wait.html", wait=False)  # asked not to wait
    assert "still being computed" in capsys.readouterr().out
    assert not lens._session._job.finished

    threading.Timer(0.05, gate.open).start()  # the job resumes whenever; the report waits
    path = run.export_html(tmp_path / "full.html")
    assert "saliency maps" not in capsys.readouterr().out  # nothing missing
    assert saliency_entry(lens)["status"] == "complete"
    state = report_state(path)
    assert state["tl_saliency_progress"] == {} and len(state["tl_saliency"]) == total


def test_an_interrupted_wait_leaves_the_job_and_the_run_intact(lens_learner):
    lens, learn = lens_learner
    gate = held(lens, at=1)
    learn.fit(1)
    assert gate.reached.wait(60)
    threading.Timer(0.2, _thread.interrupt_main).start()  # Ctrl-C (kernel interrupt)
    with pytest.raises(KeyboardInterrupt):
        lens.wait_for_saliency(progress=False)
    run = load_run(lens.path)
    assert run.saliency_info["status"] == "pending" and len(run.saliency) == 4  # one batch
    gate.open()
    assert lens.wait_for_saliency(progress=False)
    assert lens.run.saliency_info["status"] == "complete"


SCRIPT = """
import os, sys, threading
from fastai.vision.all import ProgressCallback, resnet18, vision_learner
from petlens import PetLens
from petlens.demo import make_pets, pets_dataloaders

path = make_pets(sys.argv[1] + "/pets", n_classes=4, per_class=12, size=48, seed=0)
learn = vision_learner(pets_dataloaders(path, item_size=40, size=32, bs=8), resnet18,
                       pretrained=False, path=sys.argv[1])
learn.remove_cb(ProgressCallback)
learn.add_cb(PetLens(path=sys.argv[1] + "/runs", name="run", saliency_top_k=5,
                     saliency=("integrated_gradients", "gradcam")))
stored = threading.Event()

class Watch:
    def update(self, message):  # called from the saliency thread
        if message["kind"] == "saliency" and message["done"] > 0:
            stored.set()  # one batch is on disk: hold the thread before the next one
            threading.Event().wait()

watch = Watch()
learn.pet_lens.subscribe(watch.update)
learn.fit(1)
stored.wait(120)
if sys.argv[2] == "kill":
    os._exit(1)  # as a killed kernel: nothing runs after
# else: the interpreter exits with the daemon thread still at work
"""


@pytest.mark.parametrize("how", ["exit", "kill"])
def test_the_process_ending_while_maps_are_pending_leaves_a_readable_run(tmp_path, how):
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(SCRIPT))
    done = subprocess.run([sys.executable, str(script), str(tmp_path), how],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == (1 if how == "kill" else 0), done.stderr[-2000:]
    run = load_run(tmp_path / "runs" / "run")  # validates every file
    info = run.saliency_info
    assert info["status"] == "pending" and 0 < info["done"] < info["total"]
    assert len(run.saliency) >= info["done"]  # what the manifest names is on disk
    assert run.phases[0]["status"] == "finished" and run.complete
