"""Embeddings (issue 18): capture from fastai's validation pass, the training pass, the
neighbours, the projection and its cache, the view, the widget, bad files refused."""

from __future__ import annotations

import base64
import errno
import json
import zipfile

import numpy as np
import pytest
import torch
from torch import nn

from petlens import PetLens, load_run
from petlens.demo.scale_run import write_run
from petlens.errors import PetLensError
from petlens.neighbours import nearest
from petlens.projection import project, projection_for
from petlens.recorders.thumbs import explained_items
from petlens.views import EmbeddingsView
from petlens.views.dashboard import DashboardView
from petlens.widgets import Dashboard, EmbeddingsWidget
from petlens.widgets.embeddings import EMBEDDINGS_TRAITS


def decode_array(wire: dict) -> np.ndarray:
    """A trait's ``{dtype, shape, buffer}`` back as numpy (as js/src/lib/ndarray.js reads it)."""
    return np.frombuffer(wire["buffer"], dtype=wire["dtype"]).reshape(wire["shape"])


def _hooked(learn, dl=None):
    """What a forward hook on the last nn.Linear's input sees during ``learn.get_preds``."""
    layer = [m for m in learn.model.modules() if isinstance(m, nn.Linear)][-1]
    seen = []
    handle = layer.register_forward_hook(lambda m, i, o: seen.append(i[0].detach().clone()))
    try:
        _, targets = learn.get_preds(dl=dl)
    finally:
        handle.remove()
    return torch.cat(seen).to(torch.float16).numpy(), targets.numpy()


@pytest.fixture(scope="module")
def trained(dls, tmp_path_factory):
    """A tiny resnet18 trained one epoch with ``embeddings='valid+train'``."""
    from fastai.vision.all import ProgressCallback, resnet18, set_seed, vision_learner

    set_seed(0, reproducible=True)
    tmp = tmp_path_factory.mktemp("emb")
    learn = vision_learner(dls, resnet18, pretrained=False, path=tmp / "learn")
    learn.remove_cb(ProgressCallback)
    learn.add_cb(PetLens(path=tmp / "runs", embeddings="valid+train", saliency=()))
    learn.fit(1)
    return learn


def test_captured_features_equal_a_hook_during_get_preds(trained):
    run = load_run(trained.pet_lens.path)
    emb = run.embeddings
    hooked, _ = _hooked(trained)
    assert emb.features.dtype == np.float16 and emb.features.shape == hooked.shape
    assert emb.features.shape == (len(trained.dls.valid_ds), 512)
    np.testing.assert_array_equal(emb.features, hooked)
    assert np.array_equal(emb.items, run.preds.items)  # the predictions' order
    assert run.embeddings_info["layer"] == "1.8" and run.embeddings_info["phase"] == 0


def test_valid_train_stores_training_features_labels_and_neighbour_thumbnails(trained):
    run = load_run(trained.pet_lens.path)
    emb = run.embeddings
    train_items = trained.dls.train.items
    assert emb.source == "valid+train" and len(emb.train_items) == len(train_items)
    assert [p.name for p in train_items] == list(emb.train_items)  # one folder: names
    # no augmentation: what get_preds sees on the training items with validation transforms
    dl = trained.dls.test_dl(train_items, with_labels=True)
    hooked, targets = _hooked(trained, dl)
    np.testing.assert_array_equal(emb.train_features, hooked)
    np.testing.assert_array_equal(emb.train_labels, targets)
    view = EmbeddingsView.from_run(run)
    assert view.neighbour_source == "train" and view.neighbour_items == list(emb.train_items)
    index, _ = nearest(emb.features, emb.train_features, 8)
    np.testing.assert_array_equal(view.neighbour_index, index)
    top = int(np.argmax(view.losses))  # the neighbours of the explained items (here all
    explained = explained_items(view.targets, view.decoded, view.losses)  # 9) have thumbnails
    assert top in explained and len(explained) == len(view.items)
    assert {int(j) for i in explained for j in view.neighbour_index[i]} == set(
        view.neighbour_thumbs)
    assert all(path.is_file() for path in view.neighbour_thumbs.values())
    row = view.neighbours(top)[0]
    assert row["label"] == run.vocab[emb.train_labels[row["index"]]]
    figure = view.plot_neighbours(top).fig_
    assert "training images" in figure._suptitle.get_text()


def test_the_report_can_explain_every_error_by_example():
    """Thumbnails go to the neighbours of the 16 top losses and of every other error,
    highest loss first, 64 items at most."""
    rng = np.random.default_rng(0)
    n = 300
    losses = rng.random(n).astype(np.float32)
    targets = rng.integers(0, 5, n)
    decoded = targets.copy()
    for n_errors in (30, 120):
        decoded[:] = targets
        wrong = rng.choice(n, n_errors, replace=False)
        decoded[wrong] = (targets[wrong] + 1) % 5
        order = np.argsort(-losses, kind="stable")
        expected = [i for k, i in enumerate(order) if k < 16 or decoded[i] != targets[i]][:64]
        chosen = explained_items(targets, decoded, losses)
        assert chosen.tolist() == expected
        assert set(order[:16]) <= set(chosen.tolist())
        assert len(chosen) == min(64, 16 + int((decoded[order[16:]] != targets[order[16:]]).sum()))


def test_embeddings_true_stores_validation_features_only(make_learner, tmp_path):
    learn = make_learner()
    learn.add_cb(PetLens(path=tmp_path / "runs", embeddings=True, saliency=(), thumbs=False))
    learn.fit(1)
    run = load_run(learn.pet_lens.path)
    assert run.embeddings.source == "valid" and not run.embeddings.has_train
    view = EmbeddingsView.from_run(run)
    assert view.neighbour_source == "valid" and view.neighbour_items == view.items
    assert all(i not in row for i, row in enumerate(view.neighbour_index.tolist()))
    assert "validation items" in view.plot_neighbours(0).fig_._suptitle.get_text()


def test_a_model_without_linear_layer_records_without_embeddings(dls, tmp_path):
    from fastai.vision.all import CrossEntropyLossFlat, Learner, ProgressCallback

    model = nn.Sequential(nn.Conv2d(3, dls.c, 3), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    learn = Learner(dls, model, loss_func=CrossEntropyLossFlat(), path=tmp_path)
    learn.remove_cb(ProgressCallback)
    learn.add_cb(PetLens(path=tmp_path / "runs", embeddings=True, saliency=()))
    with pytest.warns(UserWarning, match="embeddings not recorded: the model has no nn.Linear"):
        learn.fit(1)
    run = load_run(learn.pet_lens.path)
    assert run.embeddings is None and run.preds is not None
    assert "no nn.Linear" in run.embeddings_skipped
    view = EmbeddingsView.from_run(run)
    assert "no nn.Linear" in view.notice and view.xy.shape == (0, 2)


@pytest.mark.parametrize("value", [1, "train", "yes"])
def test_bad_option_refused(value):
    with pytest.raises(PetLensError, match="embeddings="):
        PetLens(embeddings=value)


# -- neighbours ----------------------------------------------------------------------------
def _brute(queries, base, k, exclude_self=False):
    q = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    b = base / np.linalg.norm(base, axis=1, keepdims=True)
    distance = 1 - q.astype(np.float64) @ b.T.astype(np.float64)
    if exclude_self:
        np.fill_diagonal(distance, np.inf)
    index = np.argsort(distance, axis=1, kind="stable")[:, :k]
    return index, np.take_along_axis(distance, index, axis=1)


@pytest.mark.parametrize("exclude_self", [False, True])
def test_neighbours_equal_brute_force(exclude_self):
    rng = np.random.default_rng(0)
    base = rng.normal(size=(300, 24)).astype(np.float32)
    queries = base if exclude_self else rng.normal(size=(101, 24)).astype(np.float32)
    index, distance = nearest(queries, base, 7, exclude_self=exclude_self, chunk=16)
    want_index, want_distance = _brute(queries, base, 7, exclude_self)
    np.testing.assert_array_equal(index, want_index)
    np.testing.assert_allclose(distance, want_distance, atol=1e-5)


def test_neighbours_fewer_candidates_than_k_pad_with_minus_one():
    base = np.eye(3, dtype=np.float32)
    index, distance = nearest(base, base, 5, exclude_self=True)
    assert index.shape == (3, 5) and (index[:, 2:] == -1).all() and np.isnan(distance[:, 2:]).all()
    assert sorted(index[0, :2].tolist()) == [1, 2]


# -- projection ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scale_run(tmp_path_factory):
    return write_run(tmp_path_factory.mktemp("scale"), n_classes=6, n_items=240,
                     embeddings=32, n_train=300)


def test_projection_is_deterministic_and_cached(scale_run):
    run = load_run(scale_run)
    first = projection_for(run, write=False)
    again = projection_for(run, write=False)
    np.testing.assert_array_equal(first.xy, again.xy)  # same seed, same map
    other = projection_for(run, write=False, seed=1)
    assert not np.array_equal(first.xy, other.xy)
    computed = run.projection()
    np.testing.assert_array_equal(computed.xy, first.xy)
    assert not computed.info["cached"] and "cached in projection.npz" in computed.note
    cache = scale_run / "projection.npz"
    stamp = cache.stat().st_mtime_ns
    read = load_run(scale_run).projection()
    assert read.info["cached"] and read.note == "read from projection.npz"
    assert cache.stat().st_mtime_ns == stamp  # not recomputed, not rewritten
    np.testing.assert_array_equal(read.xy, first.xy)
    np.testing.assert_array_equal(read.neighbour_index, first.neighbour_index)
    assert read.info["method"] == "umap" and read.info["n_items"] == 240
    assert read.info["pca_dims"] == 32 and read.info["n_neighbors"] == 15


def test_projection_of_a_read_only_folder_is_computed_in_memory(tmp_path, monkeypatch):
    import petlens.projection

    def read_only(*args):  # what a read-only file system answers (root ignores chmod)
        raise OSError(errno.EROFS, "Read-only file system")

    folder = write_run(tmp_path, n_classes=3, n_items=30, embeddings=8)
    monkeypatch.setattr(petlens.projection, "atomic_write_npz", read_only)
    result = load_run(folder).projection()
    assert result.xy.shape == (30, 2) and result.note.startswith("not cached: the run folder")
    assert not (folder / "projection.npz").exists()


@pytest.mark.parametrize("n", [1, 2, 4, 5, 12])
def test_projection_of_few_items(n):
    features = np.random.default_rng(n).normal(size=(n, 16)).astype(np.float16)
    xy, info = project(features)
    assert xy.shape == (n, 2) and xy.dtype == np.float32 and np.isfinite(xy).all()
    assert info["method"] == ("pca" if n < 5 else "umap")
    if n >= 5:
        assert info["n_neighbors"] == min(15, n - 1)


# -- the view, the widget, the dashboard --------------------------------------------------
def test_a_run_without_embeddings_says_so(tmp_path):
    run = load_run(write_run(tmp_path, n_classes=5, n_items=40))
    view = EmbeddingsView.from_run(run)
    assert "PetLens(embeddings=True)" in view.notice and view.xy.shape == (0, 2)
    state = DashboardView.from_run(run).state()
    assert state["emb_notice"] == view.notice and state["emb_xy"].shape == (0, 2)
    ax = view.plot().ax_
    assert any("PetLens(embeddings=True)" in t.get_text() for t in ax.texts)
    assert not (run.path / "projection.npz").exists()


def test_state_follows_the_contract(scale_run):
    run = load_run(scale_run)
    view = EmbeddingsView.from_run(run, color_by="loss")
    state = view.state()
    assert set(state) == set(EMBEDDINGS_TRAITS)
    n = len(run.preds)
    assert state["xy"].dtype == np.float32 and state["xy"].shape == (n, 2)
    assert state["targets"].dtype == np.int16 and state["losses"].dtype == np.float32
    assert (state["targets"] == run.preds.targets).all()
    assert state["neighbour_index"].shape == (n, 8) and state["neighbour_source"] == "train"
    assert len(state["neighbour_labels"]) == len(state["neighbour_items"]) == 300
    assert state["label_quality"].shape in ((n,), (0,))
    assert {"method", "pca_dims", "n_neighbors", "min_dist", "seed", "n_items", "n_features",
            "seconds", "cached"} <= set(state["projection_info"])
    assert state["color_by"] == "loss" and state["notice"] == ""
    with pytest.raises(PetLensError, match="color_by"):
        EmbeddingsView.from_run(run, color_by="size")


def test_widget_traits(scale_run):
    view = EmbeddingsView.from_run(load_run(scale_run))
    widget = EmbeddingsWidget.from_view(view)
    assert widget.color_by == EmbeddingsView.color_by == "actual"
    assert widget.selected_item is None and widget.item_selection is None
    assert decode_array(widget.xy).shape == (240, 2)
    assert widget._esm and "embeddings" in type(widget).__name__.lower()
    widget.item_selection = [1, 5]
    widget.color_by = "label_quality"
    dashboard = Dashboard.from_run(load_run(scale_run))
    assert dashboard.emb_color_by == "actual" and dashboard.emb_selected_item is None
    assert decode_array(dashboard.emb_xy).shape == (240, 2) and dashboard.emb_notice == ""
    assert not dashboard.has_trait("emb_vocab") and not dashboard.has_trait("emb_item_selection")


@pytest.mark.parametrize("color_by", ["actual", "predicted", "correct", "loss", "label_quality"])
def test_plot_colours(scale_run, color_by):
    view = EmbeddingsView.from_run(load_run(scale_run), color_by=color_by).plot()
    assert color_by.split("_")[0] in view.ax_.get_title(loc="left")


def test_plot_legend_at_1000_classes(tmp_path):
    run = load_run(write_run(tmp_path, n_classes=1000, n_items=2000, embeddings=16))
    legend = EmbeddingsView.from_run(run).plot().legend_
    texts = [t.get_text() for t in legend.get_texts()]
    assert len(texts) == 41 and "more classes" in texts[-1]


# -- bad files ----------------------------------------------------------------------------
def _rewrite(folder, **changes):
    path = folder / "embeddings.npz"
    with np.load(path, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays.update(changes)
    np.savez(path, **{k: v for k, v in arrays.items() if v is not None})


@pytest.mark.parametrize("change, message", [
    (dict(features=np.zeros((39, 8), np.float16)), "manifest says|items but"),
    (dict(items=np.array([f"x{i}" for i in range(40)])), "not the latest predictions"),
    (dict(features=np.ones((40, 8), np.int32)), "expected 2-d of kind 'f'"),
    (dict(features=np.ones((40, 8), np.float64)), "expected float16"),
    (dict(features=np.full((40, 8), np.nan, np.float16)), "NaN"),
    (dict(features=None), "'features' is missing"),
    (dict(train_items=np.array(["a"]), train_features=np.ones((1, 8), np.float16),
          train_labels=np.array([7], np.int32)), "train_labels outside"),
    (dict(train_items=np.array(["a"]), train_features=np.ones((2, 8), np.float16),
          train_labels=np.array([0], np.int32)), "differ in length"),
])
def test_bad_embeddings_refused(tmp_path, change, message):
    folder = write_run(tmp_path, n_classes=5, n_items=40, embeddings=8)
    _rewrite(folder, **change)
    with pytest.raises(PetLensError, match=f"embeddings.npz: .*({message})"):
        load_run(folder).embeddings  # noqa: B018 -- headers at load, values at read


def test_pickled_embeddings_refused(tmp_path):
    folder = write_run(tmp_path, n_classes=5, n_items=40, embeddings=8)
    _rewrite(folder, items=np.array([object()] * 40, dtype=object))
    with pytest.raises(PetLensError, match=r"embeddings\.npz: .*pickled"):
        load_run(folder)


def test_bad_manifest_entry_and_projection_cache_refused(tmp_path):
    folder = write_run(tmp_path, n_classes=5, n_items=40, embeddings=8)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["artefacts"]["embeddings"]["source"] = "everything"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PetLensError, match="source 'everything'"):
        load_run(folder)
    manifest["artefacts"]["embeddings"]["source"] = "valid"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    run = load_run(folder)
    run.projection()
    with zipfile.ZipFile(folder / "projection.npz") as archive:
        assert {"xy.npy", "meta.npy"} <= set(archive.namelist())
    with np.load(folder / "projection.npz") as npz:
        arrays = dict(npz)
    arrays["neighbour_index"] = np.full_like(arrays["neighbour_index"], 99)
    np.savez(folder / "projection.npz", **arrays)
    with pytest.raises(PetLensError, match=r"projection\.npz: neighbour_index outside"):
        load_run(folder).projection()


def test_while_a_fit_runs_only_a_cached_map_is_shown(tmp_path):
    folder = write_run(tmp_path, n_classes=3, n_items=30, embeddings=8)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["phases"][-1].update(status="running", ended=None)
    manifest["complete"] = False
    (folder / "manifest.json").write_text(json.dumps(manifest))
    view = EmbeddingsView.from_run(load_run(folder))  # a live dashboard's refresh
    assert "drawn when the fit ends" in view.notice and view.xy.shape == (0, 2)
    assert not (folder / "projection.npz").exists()
    load_run(folder).projection()  # computed once (the fit's end, or any reader)
    assert EmbeddingsView.from_run(load_run(folder)).xy.shape == (30, 2)


def test_the_report_leaves_out_the_embeddings_thumbnails_first(tmp_path, pets_path):
    from petlens.report import build_html

    run = load_run(write_run(tmp_path, n_classes=4, n_items=120, images=pets_path / "images",
                             embeddings=16, n_train=200))
    full, dropped = build_html(run)
    assert not dropped and "emb_neighbour_thumbs" in full
    thumbs = [run.thumbnail(i) for i in run.manifest["artefacts"]["thumbs"]["items"]]
    assert thumbs and EmbeddingsView.from_run(run).thumbs
    for path in thumbs:  # the scatter's hover and the top losses' card share each thumbnail
        assert full.count(base64.b64encode(path.read_bytes()).decode("ascii")) == 1
    size = len(full.encode()) / 1e6
    page, dropped = build_html(run, max_mb=size - 0.01)
    assert "nearest-neighbour thumbnails" in dropped[0] and len(dropped) == 1
    assert len(page.encode()) / 1e6 <= size - 0.01
    # last resort, when even the page without images is too large: neighbours, then the map
    view = EmbeddingsView.from_run(run)
    state = view.without("neighbours").state()
    assert state["neighbour_index"].shape == (0, 0) and state["xy"].shape == (120, 2)
    state = view.without("map").state()
    assert state["xy"].shape == (0, 2) and "size budget" in state["notice"]


def test_the_view_names_a_refused_file_instead_of_failing_the_dashboard(tmp_path):
    folder = write_run(tmp_path, n_classes=5, n_items=40, embeddings=8)
    _rewrite(folder, features=np.full((40, 8), np.nan, np.float16))
    run = load_run(folder)  # headers are fine: the values are checked when read
    view = EmbeddingsView.from_run(run)
    assert view.notice.startswith("Embeddings not shown: embeddings.npz") and "NaN" in view.notice
    assert DashboardView.from_run(run).state()["emb_notice"] == view.notice
