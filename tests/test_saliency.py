"""Captum saliency: the ``attribute`` adapter, what PetLens stores, the widgets' requests.

The correctness check is a pointing game on the synthetic pets, which ship animal masks: on
correctly classified items most of the positive attribution falls on the animal.
"""

from __future__ import annotations

import io
import shutil
import warnings

import numpy as np
import pytest
from PIL import Image

from petlens import PetLensError, load_run
from petlens.saliency import METHODS, attribute, available_methods, explain

BREEDS = ("Birman", "american_pit_bull_terrier", "Russian_Blue", "samoyed")  # look different
FAST = {  # cheap settings of the costly methods, for checks of shapes and plumbing
    "integrated_gradients": {"n_steps": 8},
    "occlusion": {"sliding_window_shapes": (3, 16, 16), "strides": (3, 16, 16)},
    "noise_tunnel": {"nt_samples": 2, "n_steps": 4},
}


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


@pytest.fixture(scope="module")
def pets(tmp_path_factory):
    """Synthetic pets at 64 px, with masks, of four breeds that look different (after a short
    training, Grad-CAM of a breed that differs from another in one detail only points at the
    background more often than not)."""
    from petlens.demo import make_pets

    every = make_pets(tmp_path_factory.mktemp("saliency-all"), n_classes=7, per_class=30,
                      size=64, seed=0)
    path = tmp_path_factory.mktemp("saliency-pets")
    for sub in ("images", "masks"):
        (path / sub).mkdir()
        for file in (every / sub).iterdir():
            if file.name.rsplit("_", 1)[0] in BREEDS:
                shutil.copy(file, path / sub / file.name)
    assert len(list((path / "images").iterdir())) == 30 * len(BREEDS)
    return path


@pytest.fixture(scope="module")
def trained(pets, tmp_path_factory):
    """resnet18 (no pretrained weights) trained a few epochs at 64 px, recorded by a PetLens
    that stores IG and Grad-CAM maps of the 6 top losses."""
    from fastai.vision.all import ProgressCallback, error_rate, resnet18, set_seed, vision_learner

    from petlens import PetLens
    from petlens.demo import pets_dataloaders

    set_seed(0, reproducible=True)
    tmp = tmp_path_factory.mktemp("saliency")
    dls = pets_dataloaders(pets, item_size=64, size=64, bs=16)
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate,
                           path=tmp / "learn")
    learn.remove_cb(ProgressCallback)
    lens = PetLens(path=tmp / "runs", saliency=("integrated_gradients", "gradcam"),
                   saliency_top_k=6)
    learn.add_cb(lens)
    learn.fit_one_cycle(8, 1e-2)
    lens.wait_for_saliency(progress=False)  # computed in the background
    return learn, lens


def request(widget, **content):
    """Send a request as the front end does; return the widget's one reply."""
    sent = []
    widget.send = lambda reply, buffers=None: sent.append((reply, buffers or []))
    widget._on_message(widget, {"type": "petlens:request", "id": 1, **content}, [])
    (reply,) = sent
    return reply


def masks_of(learn, pets) -> np.ndarray:
    return np.stack([np.asarray(Image.open(pets / "masks" / f"{p.stem}.png")) > 127
                     for p in learn.dls.valid_ds.items])


@pytest.mark.parametrize("method", ["integrated_gradients", "gradcam"])
def test_pointing_game_attribution_falls_on_the_animal(trained, pets, method):
    learn, _ = trained
    n = len(learn.dls.valid_ds)
    result = explain(learn, list(range(n)), method)
    actual = np.array([learn.dls.vocab.o2i[p.name.rsplit("_", 1)[0]]
                       for p in learn.dls.valid_ds.items])
    correct = result.predicted == actual
    assert correct.sum() >= n // 2, f"the model is too weak: {correct.sum()} of {n} correct"
    masks = masks_of(learn, pets)[correct]
    maps = result.maps[correct].astype(np.float64)
    inside = (maps * masks).sum((1, 2)) / np.maximum(maps.sum((1, 2)), 1e-12)
    chance = masks.mean((1, 2))
    report = (f"{method}: share on the animal {inside.mean():.2f} vs its area "
              f"{chance.mean():.2f}; above its area on {np.mean(inside > chance):.0%}, above "
              f"1.25x on {np.mean(inside > 1.25 * chance):.0%} of {correct.sum()} correct items")
    print(report)
    assert inside.mean() > 1.5 * chance.mean(), report
    assert np.mean(inside > chance) >= 0.8, report
    assert np.mean(inside > 1.25 * chance) >= 0.6, report


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("target", ["pred", "actual"])
def test_attribute_gives_unit_float_maps_for_every_method(trained, method, target):
    learn, _ = trained
    maps = attribute(learn, [0, 1, 2], method, target, **FAST.get(method, {}))
    assert maps.shape == (3, 64, 64) and maps.dtype == np.float32
    assert np.isfinite(maps).all() and maps.min() >= 0 and maps.max() <= 1
    peaks = maps.reshape(3, -1).max(axis=1)
    assert set(peaks.tolist()) <= {0.0, 1.0} and peaks.max() == 1  # outliers saturate


def test_targets_explain_the_predicted_or_the_actual_class(trained):
    learn, _ = trained
    items = list(range(len(learn.dls.valid_ds)))
    pred = explain(learn, items, "saliency", "pred")
    actual = explain(learn, items, "saliency", "actual")
    np.testing.assert_array_equal(pred.classes, pred.predicted)
    np.testing.assert_array_equal(actual.classes, [int(learn.dls.valid_ds[i][1]) for i in items])
    wrong = pred.classes != actual.classes
    assert wrong.any(), "needs a misclassified item"
    assert not np.allclose(pred.maps[wrong], actual.maps[wrong])


@pytest.mark.parametrize("method", ["integrated_gradients", "saliency", "gradcam", "occlusion"])
def test_a_batch_gives_the_maps_of_a_per_item_loop(trained, method):
    kwargs = FAST.get(method, {}) if method != "integrated_gradients" else {}  # adaptive IG
    learn, _ = trained
    batched = explain(learn, [0, 1, 2, 3], method, bs=4, **kwargs)
    looped = [explain(learn, [i], method, **kwargs) for i in range(4)]
    np.testing.assert_allclose(batched.maps, np.concatenate([r.maps for r in looped]),
                               atol=2e-3)
    if method == "integrated_gradients":
        np.testing.assert_array_equal(batched.n_steps, [r.n_steps[0] for r in looped])


def test_integrated_gradients_chooses_steps_from_the_convergence_delta(trained):
    import torch

    from petlens.saliency.inputs import plain
    from petlens.saliency.integrated import STEPS, TOLERANCE

    learn, _ = trained
    items = list(range(6))
    result = explain(learn, items, "integrated_gradients")
    first = explain(learn, items, "integrated_gradients", n_steps=STEPS[0])
    assert set(result.n_steps) <= set(STEPS) and (first.n_steps == STEPS[0]).all()
    x = plain(learn.dls.test_dl([learn.dls.valid_ds.items[i] for i in items]).one_batch()[0])
    learn.model.eval()
    with torch.no_grad():
        gap = (learn.model(x) - learn.model(torch.zeros_like(x)))[items, result.classes]
    allowed = TOLERANCE * np.maximum(gap.abs().numpy(), 1.0)
    steps, counts = np.unique(result.n_steps, return_counts=True)
    print(f"IG steps {dict(zip(steps.tolist(), counts.tolist(), strict=True))}, relative "
          f"|delta| <= {np.max(np.abs(result.delta) / allowed * TOLERANCE):.3f}")
    stopped = result.n_steps < STEPS[-1]
    assert stopped.any()
    assert (np.abs(result.delta[stopped]) <= allowed[stopped]).all()
    went_on = result.n_steps > STEPS[0]
    assert (np.abs(first.delta[went_on]) > allowed[went_on]).all()


def test_paths_and_indices_give_the_same_maps(trained, tmp_path):
    learn, _ = trained
    paths = [learn.dls.valid_ds.items[i] for i in (0, 1)]
    for target in ("pred", "actual"):
        by_index = attribute(learn, [0, 1], "gradcam", target)
        by_path = attribute(learn, [str(paths[0]), paths[1]], "gradcam", target)
        np.testing.assert_allclose(by_index, by_path, atol=1e-5)
    stranger = tmp_path / "no-breed-in-this-name.jpg"
    shutil.copy(paths[0], stranger)
    assert attribute(learn, [stranger], "saliency", "pred").shape == (1, 64, 64)
    with pytest.raises(PetLensError, match=r"cannot label .*no-breed-in-this-name"):
        attribute(learn, [stranger], "saliency", "actual")


def test_bad_arguments_are_refused_clearly(trained):
    learn, _ = trained
    with pytest.raises(PetLensError, match="method='lime'"):
        attribute(learn, [0], "lime")
    with pytest.raises(PetLensError, match="target='predicted'"):
        attribute(learn, [0], "saliency", "predicted")
    with pytest.raises(PetLensError, match="no validation item 999"):
        attribute(learn, [999], "saliency")
    with pytest.raises(PetLensError, match="no items"):
        attribute(learn, [], "saliency")


def test_attribution_leaves_the_learner_as_it_was(trained):
    learn, _ = trained
    model, dl = learn.model, learn.dls.valid

    def state():
        tensors = [t.detach().clone() for t in (*model.parameters(), *model.buffers())]
        grads = [None if p.grad is None else p.grad.clone() for p in model.parameters()]
        return ((repr(dl.after_item), repr(dl.after_batch), dl.bs, dl.dataset, len(dl.dataset),
                 list(learn.cbs), [p.requires_grad for p in model.parameters()]),
                tensors, grads)

    def same(a, b):
        return all((x is None and y is None) or (x == y).all() for x, y in zip(a, b, strict=True))

    was_training = model.training
    before = state()
    model.train()  # attribution runs in eval mode, then gives the mode back
    for method in METHODS:
        attribute(learn, [0, dl.items[1]], method, "actual", **FAST.get(method, {}))
    assert model.training
    model.train(was_training)
    after = state()
    assert before[0] == after[0]
    assert same(before[1], after[1]) and same(before[2], after[2])


def test_mixed_precision_learner_gets_float32_maps(make_learner):
    import torch

    learn = make_learner().to_fp16()
    result = explain(learn, [0, 1], "integrated_gradients", n_steps=8)
    assert result.maps.dtype == np.float32 and np.isfinite(result.maps).all()
    assert result.maps.max() == 1
    assert any(type(cb).__name__ == "MixedPrecision" for cb in learn.cbs)
    assert {p.dtype for p in learn.model.parameters()} == {torch.float32}
    learn.model.half()  # half weights: attributed on a float32 copy, the learner's stay half
    result = explain(learn, [0, 1], "gradcam")
    assert result.maps.dtype == np.float32 and result.maps.max() == 1
    assert {p.dtype for p in learn.model.parameters()} == {torch.float16}


def test_decoded_images_are_what_the_model_saw(trained):
    learn, _ = trained
    result = explain(learn, [0, 1], "saliency")
    assert result.images.shape == (2, 64, 64, 3) and result.images.dtype == np.uint8
    original = np.asarray(Image.open(learn.dls.valid_ds.items[0]).convert("RGB"), np.float32)
    assert np.abs(result.images[0] - original).mean() < 3  # Normalize undone, same frame
    from matplotlib.figure import Figure

    axs = result.plot(Figure().subplots(1, 2))
    assert len(axs) == 2 and len(axs[0].images) == 2


def test_gradcam_explains_the_last_block_with_a_map_of_at_least_7x7():
    import torch
    from torchvision.models import resnet18

    from petlens.saliency.layers import gradcam_layer

    model = resnet18(num_classes=3).eval()
    assert gradcam_layer(model, torch.rand(1, 3, 64, 64))[::2] == ("layer2", (8, 8))
    assert gradcam_layer(model, torch.rand(1, 3, 224, 224))[::2] == ("layer4", (7, 7))
    assert gradcam_layer(model, torch.rand(1, 3, 8, 8))[::2] == ("conv1", (4, 4))  # largest


def test_normalisation_matches_captums_visualiser():
    from captum.attr._utils.visualization import _normalize_attr

    from petlens.saliency.normalise import normalise, quantise

    attr = np.random.default_rng(0).normal(size=(3, 3, 10, 12))
    for sign in ("positive", "absolute_value"):
        ours = normalise(attr, sign)
        theirs = np.stack([_normalize_attr(a.sum(axis=0), sign, 2) for a in attr])
        np.testing.assert_allclose(ours, theirs, atol=1e-6)
    assert normalise(np.zeros((1, 3, 4, 4))).max() == 0
    assert quantise(np.array([0.0, 0.5, 1.0])).tolist() == [0, 128, 255]


def test_maps_are_placed_where_the_model_looked():
    from fastai.vision.augment import Resize, ResizeMethod

    from petlens.saliency.frame import display_size, place, seen_box

    ones = np.ones((32, 32), np.float32)
    crop = seen_box((200, 100), Resize(32))  # centre crop of a wide image
    assert crop == (50.0, 0.0, 100, 100)
    shown = place(ones, (200, 100), crop, display_size((200, 100), 128))
    assert shown.shape == (64, 128)
    assert shown[:, :32].max() == 0 and shown[:, 96:].max() == 0 and shown[:, 33:95].min() == 1
    pad = seen_box((200, 100), Resize(32, method=ResizeMethod.Pad))
    assert pad == (0.0, -50.0, 200, 200)
    assert place(ones, (200, 100), pad, (128, 64)).min() == 1
    assert seen_box((200, 100), Resize(32, method=ResizeMethod.Squish)) == (0, 0, 200, 100)
    assert display_size((50, 40), 128) == (50, 40)


def test_the_run_stores_maps_of_the_top_losses(trained):
    from petlens.saliency.integrated import STEPS

    run = trained[1].run
    info = run.saliency_info
    assert info["file"] == "saliency.npz" and info["top_k"] == 6
    assert info["methods"] == ["integrated_gradients", "gradcam"]
    assert info["available"] == list(METHODS)
    assert info["params"]["gradcam"]["layer"] == "0.5"  # resnet18's layer2: 8x8 at 64 px
    top = {str(run.preds.items[i]) for i in run.top_losses(6)[1]}
    decoded = dict(zip(run.preds.items, run.preds.decoded, strict=True))
    actual = dict(zip(run.preds.items, run.preds.targets, strict=True))
    wrong = {item for item in top if decoded[item] != actual[item]}
    assert wrong and wrong != top, "needs wrong and right items among the top losses"
    details = run.detail_images
    assert set(details) == top
    for method in info["methods"]:
        rows = [s for s in run.saliency if s.method == method]
        pred = {s.item: s for s in rows if s.target == "pred"}
        both = {s.item: s for s in rows if s.target == "actual"}
        assert set(pred) == top and set(both) == wrong  # right items: one map serves both
        assert len(rows) == len(top) + len(wrong)
        for s in rows:
            assert s.label == (decoded if s.target == "pred" else actual)[s.item]
            assert s.map.dtype == np.uint8 and s.map.max() in (0, 255)
            with Image.open(details[s.item]) as img:  # the map covers its detail image
                assert s.map.shape == img.size[::-1] == (64, 64)
            assert (s.n_steps in STEPS) == (method == "integrated_gradients")
        for item in wrong:  # what it saw for the true breed is another map
            assert not np.array_equal(pred[item].map, both[item].map)


def test_detail_images_have_the_models_input_resolution_within_bounds(tmp_path):
    from fastai.vision.augment import Resize

    from petlens.saliency.record import DETAIL_MAX, detail_longest

    def image(w, h):
        path = tmp_path / f"{w}x{h}.jpg"
        Image.new("RGB", (w, h)).save(path)
        return path

    # chapter 5's Pets: a 500x375 photo, centre-cropped square, seen at 224 px
    assert detail_longest(image(500, 375), Resize(460), (224, 224), 128) == 299
    assert detail_longest(image(2000, 1500), Resize(460), (224, 224), 128) == 299
    assert detail_longest(image(2000, 1500), Resize(460), (512, 512), 128) == DETAIL_MAX == 384
    assert detail_longest(image(90, 60), Resize(64), (32, 32), 128) == 128  # the thumbnail's
    assert detail_longest("not-a-file.jpg", None, (224, 224), 128) == 224


def test_top_losses_are_attributed_in_batches_from_a_snapshot(trained):
    from petlens.saliency.record import CPU_BATCH, explain_batch, pack, take_snapshot

    learn, lens = trained
    preds = lens.run.preds
    snapshot = take_snapshot(learn, preds.items, preds.losses, preds.targets, preds.targets,
                             k=6, smallest=32, methods=("saliency", "gradcam"))  # all right
    assert snapshot.methods == ["gradcam", "saliency"]  # the cheapest first
    assert CPU_BATCH == 4 and [(m, t, len(i)) for m, t, i in snapshot.batches] == [
        ("gradcam", "pred", 4), ("gradcam", "pred", 2),  # 'pred' maps only
        ("saliency", "pred", 4), ("saliency", "pred", 2)]
    top = np.argsort(-preds.losses, kind="stable")[:6]
    assert snapshot.longest == {int(i): 64 for i in top}  # 64 px images: never enlarged
    rows, params = [], {}
    for method, target, indices in snapshot.batches:
        batch, params[method] = explain_batch(snapshot, method, target, indices)
        rows += batch
    arrays = pack(rows)
    assert arrays["maps"].shape == (12, 64, 64) and arrays["maps"].dtype == np.uint8
    assert arrays["method"].tolist() == ["gradcam"] * 6 + ["saliency"] * 6
    assert arrays["target"].tolist() == ["pred"] * 12
    assert set(arrays["items"]) == {str(preds.items[i]) for i in top}
    assert set(params) == {"gradcam", "saliency"}


def test_the_report_drops_detail_images_before_thumbnails(trained, tmp_path):
    from PIL import Image

    from petlens.report import build_html

    run = load_run(shutil.copytree(trained[1].path, tmp_path / "run"))
    for path in run.detail_images.values():  # at this size a detail image may be the same
        with Image.open(path) as img:  # JPEG as its thumbnail (in the page once): make each
            img.convert("RGB").save(path, quality=97)  # its own, as at 224 px
    full, dropped = build_html(run, max_mb=100)
    assert dropped == []
    assert len(run.detail_images) == 6
    detail_bytes = sum(p.stat().st_size for p in run.detail_images.values())
    page, dropped = build_html(run, max_mb=(len(full) - detail_bytes // 3) / 1e6)
    assert len(page) < len(full)
    assert len(dropped) == 1 and dropped[0].endswith("detail images (kept the top losses)")
    with pytest.raises(PetLensError, match="even without detail images and thumbnails"):
        build_html(run, max_mb=0.01)


def test_a_corrupt_saliency_file_is_refused(trained, tmp_path):
    run_dir = shutil.copytree(trained[1].path, tmp_path / "run")
    path = run_dir / "saliency.npz"
    with np.load(path) as npz:
        good = {key: npz[key] for key in npz.files}
    for change, message in [
        ({"maps": good["maps"].astype(np.float32)}, "array 'maps' has dtype float32"),
        ({"method": np.array(["magic"] * len(good["method"]))}, "unknown method"),
        ({"shapes": good["shapes"] + 1000}, "shapes must be"),
        ({"label": good["label"] + 99}, "label outside"),
    ]:
        np.savez(path, **{**good, **change})
        with pytest.raises(PetLensError, match=rf"saliency\.npz: .*{message}"):
            load_run(run_dir)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(PetLensError, match=r"saliency\.npz: not a valid \.npz"):
        load_run(run_dir)


def test_widgets_show_stored_maps_and_compute_live_ones(trained):
    from petlens.views import TopLossesView
    from petlens.widgets import TopLossesWidget

    learn, lens = trained
    run = lens.run
    offline = TopLossesView.from_run(run).widget()
    assert offline.live is False
    assert offline.saliency_methods[:2] == ["integrated_gradients", "gradcam"]
    n_wrong = sum(s.target == "actual" for s in run.saliency) // 2
    assert len(offline.saliency) == 2 * (6 + n_wrong)
    stored = offline.saliency[0]
    assert stored["target"] == "pred" and stored["jpeg"][:2] == b"\xff\xd8"  # a JPEG
    with Image.open(io.BytesIO(stored["jpeg"])) as img:
        assert img.mode == "L" and img.size == (64, 64)
    assert len(offline.details) == 6 and offline.details[0]["jpeg"][:2] == b"\xff\xd8"
    content, buffers = request(offline, kind="saliency", index=0, method="gradcam",
                              target="actual")
    assert content["ok"] is False and "the model is not loaded" in content["error"]

    live = TopLossesWidget.from_view(TopLossesView.from_run(run), learn=learn)
    assert live.live is True and set(live.saliency_methods) == set(METHODS)
    content, buffers = request(live, kind="saliency", index=2, method="gradcam",
                              target="actual")
    assert content["ok"] is True and content["shape"] == [64, 64]
    assert len(buffers[0]) == 64 * 64
    content, _ = request(live, kind="saliency", index=2, method="lime", target="actual")
    assert content["ok"] is False and "'lime' is not available" in content["error"]

    dash = lens.show()
    content, buffers = request(dash, kind="saliency", index=1, method="saliency",
                               target="pred", view="tl_")
    assert content["ok"] is True and content["view"] == "tl_" and len(buffers[0]) == 64 * 64
    content, _ = request(run.show(), kind="saliency", index=1, method="saliency",
                         target="pred", view="tl_")
    assert content["ok"] is False and "the model is not loaded" in content["error"]


def test_model_without_convolutions_offers_all_but_gradcam(dls, tmp_path):
    from fastai.vision.all import Learner
    from torch import nn

    from petlens import PetLens

    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, len(dls.vocab)))
    learn = Learner(dls, model, path=tmp_path, cbs=PetLens(path=tmp_path / "runs",
                                                            saliency_top_k=2))
    assert available_methods(learn) == [m for m in METHODS if m != "gradcam"]
    with pytest.raises(PetLensError, match="needs a convolutional layer"):
        attribute(learn, [0], "gradcam")
    assert attribute(learn, [0], "saliency").shape == (1, 32, 32)
    with learn.no_bar(), pytest.warns(UserWarning, match="gradcam skipped: the model has no "
                                                          "convolutional"):
        learn.fit(1)  # the maps are planned at the fit's end
    learn.pet_lens.wait_for_saliency(progress=False)
    assert learn.pet_lens.run.saliency_info["methods"] == ["integrated_gradients"]


def test_non_image_learner_warns_once_and_records_the_rest(tmp_path):
    import pandas as pd
    from fastai.tabular.all import CategoryBlock, TabularDataLoaders, tabular_learner

    from petlens import PetLens

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"a": rng.normal(size=64), "b": rng.normal(size=64),
                       "y": rng.choice(["x", "y"], 64)})
    dls = TabularDataLoaders.from_df(df, cont_names=["a", "b"], y_names="y",
                                     y_block=CategoryBlock(), bs=16,
                                     valid_idx=list(range(48, 64)))
    learn = tabular_learner(dls, layers=[8], path=tmp_path, cbs=PetLens(path=tmp_path / "r"))
    assert available_methods(learn) == []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with learn.no_bar():
            for _ in range(2):
                learn.fit(1)
                run = learn.pet_lens.run
    notes = [str(w.message) for w in caught if "saliency" in str(w.message)]
    assert notes == ["petlens: this learner's inputs are not images: no thumbnails and no "
                     "saliency maps are recorded (the timeline, lr_find and predictions are)"]
    assert run.saliency_info is None and run.saliency == []
    assert [p["status"] for p in run.phases] == ["finished", "finished"]
    with pytest.raises(PetLensError, match="not images"):
        attribute(learn, [0], "saliency")


def test_petlens_saliency_options(dls, tmp_path):
    from fastai.vision.all import Learner
    from torch import nn

    from petlens import PetLens, schema

    assert tuple(METHODS) == schema.SALIENCY_METHODS  # what a run may hold
    with pytest.raises(PetLensError, match="saliency"):
        PetLens(saliency=("integrated_gradients", "lime"))
    with pytest.raises(PetLensError, match="saliency_top_k"):
        PetLens(saliency_top_k=0)
    model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, len(dls.vocab)))
    learn = Learner(dls, model, path=tmp_path, cbs=PetLens(path=tmp_path / "runs",
                                                            saliency=None))
    with learn.no_bar():
        learn.fit(1)
    run = learn.pet_lens.run
    assert run.saliency_info is None and not (run.path / "saliency.npz").exists()
    assert run.phases[0]["status"] == "finished" and run.preds is not None


def test_fine_tune_cancels_the_frozen_fits_maps_for_the_unfrozen_ones(make_learner,
                                                                      tmp_path):
    from petlens import PetLens

    learn = make_learner()
    lens = PetLens(path=tmp_path / "runs", saliency=("gradcam",), saliency_top_k=2)
    learn.add_cb(lens)
    learn.fine_tune(1, freeze_epochs=1)  # two fits: the frozen one's maps would be stale
    assert lens.wait_for_saliency(progress=False)  # computed in the background
    info = lens.run.saliency_info
    assert info["phase"] == 1 and info["methods"] == ["gradcam"]
    assert info["status"] == "complete" and info["done"] == info["total"]
    assert len({s.item for s in lens.run.saliency}) == 2  # with the actual class when wrong
