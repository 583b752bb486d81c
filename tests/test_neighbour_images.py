"""Any item explained by example in a live notebook: the recorder stores the training items'
folder (``train_root``), the widgets read a neighbour's image from it on request
(``neighbour_image``) and the clicked validation item's from the items' folder
(``item_image``), refusing what is not a file inside it, and say so in their
``neighbour_images`` trait, which the offline report (no path of the user's machine in it)
always has False; in Chromium the strip's cards (the clicked item's and its neighbours')
become the images the kernel read."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from browser import PageProbe, kernel_page
from PIL import Image

from petlens import PetLens, load_run
from petlens.demo.scale_run import write_run
from petlens.errors import PetLensError
from petlens.views import EmbeddingsView
from petlens.views.dashboard import DashboardView
from petlens.widgets import Dashboard, EmbeddingsWidget
from petlens.widgets.neighbour_images import (
    NEIGHBOUR_IMAGE_SIZE,
    item_image_request,
    neighbour_image_request,
)

SHOTS = Path("/tmp/shots")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A tiny resnet18 trained one epoch with ``embeddings='valid+train'`` and no thumbnails
    (no neighbour has a stored one), on its own copy of the data (a test deletes a file),
    its dashboard shown live while it trains."""
    from fastai.vision.all import ProgressCallback, resnet18, set_seed, vision_learner

    from petlens.demo import make_pets, pets_dataloaders

    set_seed(0, reproducible=True)
    tmp = tmp_path_factory.mktemp("neighbour-images")
    data = make_pets(tmp / "pets", n_classes=4, per_class=12, size=48, seed=0)
    dls = pets_dataloaders(data, item_size=40, size=32, bs=8)
    learn = vision_learner(dls, resnet18, pretrained=False, path=tmp / "learn")
    learn.remove_cb(ProgressCallback)
    lens = PetLens(path=tmp / "runs", embeddings="valid+train", saliency=(), thumbs=False)
    learn.add_cb(lens)
    dash = lens.show()
    seen = []
    dash.observe(lambda change: seen.append(change["new"]), names="emb_neighbour_images")
    learn.fit(1)
    assert dash.wait_until_settled(timeout=300)
    return SimpleNamespace(run=load_run(lens.path), dash=dash, seen=seen,
                           images=data / "images")


def ask(widget, content: dict):
    """The widget's answer to a request from its front end: (message, buffers)."""
    sent = []
    widget.send = lambda message, buffers=None: sent.append((message, buffers or []))
    widget._on_message(widget, {"type": "petlens:request", "id": "r1", **content}, [])
    assert len(sent) == 1
    return sent[0]


# per request kind: the view's names and folder fields, what the messages call one, the word
# of the "changed" refusal, the kind whose folder is not the one removed
KINDS = {
    "neighbour_image": ("neighbour_items", "neighbour_root", "training image", "neighbour",
                        "item_image"),
    "item_image": ("items", "item_root", "validation item", "item", "neighbour_image"),
}


def ask_for(view, kind: str, index: int) -> dict:
    return {"kind": kind, "index": index, "item": getattr(view, KINDS[kind][0])[index]}


def refused(widget, content: dict) -> str:
    message, buffers = ask(widget, content)
    assert message["ok"] is False and buffers == []
    return message["error"]


# -- the recorder, the view, the widgets ---------------------------------------------------
def test_the_run_stores_the_training_folder(live):
    entry = live.run.embeddings_info
    assert entry["train_root"] == str(live.images) and entry["train_thumbs"] == {}
    assert live.run.manifest["data"]["item_root"] == str(live.images)
    view = EmbeddingsView.from_run(live.run)
    assert view.neighbour_source == "train" and view.neighbour_root == str(live.images)
    assert all((live.images / item).is_file() for item in view.neighbour_items)


def assert_thumbnail_of(message: dict, buffers: list, answer: tuple, source: Path) -> None:
    """``message`` answers ``answer`` (kind, index) with a JPEG of ``source`` at the
    thumbnails' size (its width and height said)."""
    assert message["ok"] is True, message
    assert (message["kind"], message["index"]) == answer
    with Image.open(BytesIO(buffers[0])) as img:
        assert img.format == "JPEG" and img.size == (message["width"], message["height"])
    with Image.open(source) as original:
        original.thumbnail((NEIGHBOUR_IMAGE_SIZE, NEIGHBOUR_IMAGE_SIZE))
        assert img.size == original.size


def test_the_widget_answers_with_a_jpeg_of_a_neighbour_without_thumbnail(live):
    view = EmbeddingsView.from_run(live.run)
    widget = EmbeddingsWidget.from_view(view)
    assert widget.neighbour_images is True and view.state()["neighbour_images"] is False
    j = int(view.neighbour_index[0, 0])
    assert j not in view.neighbour_thumbs
    assert_thumbnail_of(*ask(widget, ask_for(view, "neighbour_image", j)), ("neighbour_image", j),
                        live.images / view.neighbour_items[j])


def test_the_widget_answers_with_a_jpeg_of_the_clicked_validation_item(live):
    view = EmbeddingsView.from_run(live.run)
    assert view.item_root == str(live.images) and view.thumbs == {}  # thumbs=False: none stored
    assert "item_root" not in view.state()
    widget = EmbeddingsWidget.from_view(view)
    for i in (0, len(view.items) - 1):
        assert_thumbnail_of(*ask(widget, ask_for(view, "item_image", i)), ("item_image", i),
                            live.images / view.items[i])


@pytest.mark.parametrize("kind", KINDS)
def test_requests_that_cannot_be_answered_are_refused_clearly(live, tmp_path, kind):
    names, root_field, what, noun, other = KINDS[kind]
    view = EmbeddingsView.from_run(live.run)
    widget = EmbeddingsWidget.from_view(view)
    n = len(getattr(view, names))
    for index in (n, -1, "1", True, None):
        assert f"no {noun} {index!r}: the view has {n}" in refused(
            widget, {"kind": kind, "index": index})
    assert refused(widget, {"kind": kind, "index": 0, "item": "other.jpg"}) == (
        f"PetLensError: {noun} 0 is now {getattr(view, names)[0]!r}, not 'other.jpg': the "
        f"{noun}s have changed")
    # an image no longer on disk
    name = getattr(view, names)[3]
    path = live.images / name
    kept = path.read_bytes()
    path.unlink()
    try:
        assert refused(widget, ask_for(view, kind, 3)) == (
            f"PetLensError: the {what} {name!r} is not on this machine's disk ({live.images})")
    finally:
        path.write_bytes(kept)
    assert ask(widget, ask_for(view, kind, 3))[0]["ok"] is True
    # names from a crafted run: out of the folder, absolute, a link out of it; not an image
    root = tmp_path / "data"
    root.mkdir()
    (tmp_path / "outside.jpg").write_bytes(kept)
    (root / "link.jpg").symlink_to(tmp_path / "outside.jpg")
    (root / "notes.jpg").write_text("not an image")
    crafted = replace(view, **{names: ["../outside.jpg", str(tmp_path / "outside.jpg"),
                                       "link.jpg", "a/../../outside.jpg", "notes.jpg"],
                               root_field: str(root)})
    widget = EmbeddingsWidget.from_view(crafted)
    for j in range(4):
        assert refused(widget, ask_for(crafted, kind, j)).endswith(
            f"is not a path inside its folder ({root}): refused")
    assert "'notes.jpg' cannot be read as an image" in refused(widget, ask_for(crafted, kind, 4))
    # no folder recorded: that kind says why, the other still comes from its own folder
    unknown = EmbeddingsWidget.from_view(replace(view, **{root_field: None}))
    assert unknown.neighbour_images is (kind == "item_image")
    assert f"does not say where its {what}s are" in refused(unknown, ask_for(view, kind, 0))
    if unknown.neighbour_images:
        assert ask(unknown, ask_for(view, other, 0))[0]["ok"] is True
    answer = neighbour_image_request if kind == "neighbour_image" else item_image_request
    with pytest.raises(PetLensError, match=f"no embeddings shown: there are no {noun}s"):
        answer(None, {"index": 0})


def test_the_live_dashboard_answers_from_its_current_embeddings_panel(live):
    dash = live.dash
    assert dash.emb_neighbour_images is True and live.seen[-1] is True  # set by the refresh
    view = dash._view.views["embeddings"]
    message, buffers = ask(dash, {**ask_for(view, "neighbour_image", 1), "view": "emb_"})
    assert message["ok"] is True and message["view"] == "emb_" and buffers[0][:2] == b"\xff\xd8"
    message, buffers = ask(dash, {**ask_for(view, "item_image", 1), "view": "emb_"})
    assert message["ok"] is True and message["kind"] == "item_image"
    assert buffers[0][:2] == b"\xff\xd8"
    # a refresh to a view whose folder is unknown: the trait and the answers follow it
    shown = DashboardView.from_run(live.run)
    unknown = replace(shown.views["embeddings"], neighbour_root=None)
    dash._refresh(live.run, shown.with_view("embeddings", unknown), progress=False)
    assert dash.emb_neighbour_images is False
    assert "does not say where" in refused(dash, ask_for(view, "neighbour_image", 1))
    dash._refresh(live.run, shown, progress=False)
    assert dash.emb_neighbour_images is True
    assert ask(dash, ask_for(view, "neighbour_image", 1))[0]["ok"] is True
    assert Dashboard.from_run(live.run).emb_neighbour_images is True


def test_the_report_says_no_and_holds_no_path(live, tmp_path):
    assert DashboardView.from_run(live.run).state()["emb_neighbour_images"] is False
    html = live.run.export_html(tmp_path / "report.html").read_text(encoding="utf-8")
    assert '"emb_neighbour_images":false' in html.replace(" ", "")
    assert str(live.images) not in html and str(live.images.parent) not in html


def test_a_run_without_train_root_still_loads(live, tmp_path):
    folder = shutil.copytree(live.run.path, tmp_path / "old")
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["artefacts"]["embeddings"]["train_root"]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    run = load_run(folder)
    view = EmbeddingsView.from_run(run)
    assert view.neighbour_root is None and len(view.neighbour_items) > 0
    assert EmbeddingsWidget.from_view(view).neighbour_images is False
    assert Dashboard.from_run(run).emb_neighbour_images is False
    synthetic = load_run(write_run(tmp_path / "synthetic", n_classes=4, n_items=40,
                                   embeddings=16, n_train=60))
    assert EmbeddingsView.from_run(synthetic).neighbour_root is None


@pytest.mark.parametrize("value", [5, ["a"], {"a": 1}, True])
def test_a_train_root_that_is_not_a_string_is_refused(tmp_path, value):
    folder = write_run(tmp_path, n_classes=4, n_items=40, embeddings=16, n_train=60)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["artefacts"]["embeddings"]["train_root"] = value
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(PetLensError, match=r"artefacts\.embeddings: field 'train_root' must "
                                           r"be str"):
        load_run(folder)


def test_validation_neighbours_are_read_from_the_items_folder(tmp_path):
    folder = write_run(tmp_path / "run", n_classes=4, n_items=40, embeddings=16)
    run = load_run(folder)
    data = tmp_path / "data"
    data.mkdir()
    for i, item in enumerate(run.preds.items):
        Image.new("RGB", (60 + i, 40), (6 * i, 100, 200)).save(data / str(item))
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["data"]["item_root"] = str(data)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    view = EmbeddingsView.from_run(load_run(folder))
    assert view.neighbour_source == "valid" and view.neighbour_root == view.item_root == str(data)
    widget = EmbeddingsWidget.from_view(view)
    assert widget.neighbour_images is True
    j = int(view.neighbour_index[0, 0])
    message, _ = ask(widget, ask_for(view, "neighbour_image", j))
    assert message["ok"] is True and (message["width"], message["height"]) == (60 + j, 40)
    message, _ = ask(widget, ask_for(view, "item_image", 3))
    assert message["ok"] is True and (message["width"], message["height"]) == (63, 40)
    item = view.neighbour_items[j]
    (data / item).unlink()
    assert refused(widget, ask_for(view, "neighbour_image", j)).endswith(
        f"the validation item {item!r} is not on this machine's disk ({data})")
    assert refused(widget, ask_for(view, "item_image", j)).endswith(
        f"the validation item {item!r} is not on this machine's disk ({data})")


# -- in Chromium ---------------------------------------------------------------------------
def live_page(browser, tmp_path, widget, state: dict, bundle: str):
    """``bundle`` showing ``state`` in Chromium at 1280x720, answered by ``widget``; returns
    the page's probe and the requests the kernel answered."""
    return kernel_page(browser, tmp_path / "live.html", widget, state, bundle)


TILES = ".petlens-emb-card:not(.petlens-emb-query) .petlens-emb-thumb"
CARDS = ".petlens-emb-card .petlens-emb-thumb"  # the clicked item's card first, then the tiles
IMAGES_SHOWN = f"""([scope, item]) => {{
    const query = document.querySelector(scope + ' .petlens-emb-query .petlens-emb-file');
    const cards = [...document.querySelectorAll(scope + ' {CARDS}')];
    return query?.textContent === item && cards.length > 1
        && cards.every((t) => t.tagName === 'IMG' && t.complete && t.naturalWidth > 0);
}}"""


def strip_images(probe, scope: str, item: str) -> list[int]:
    """The natural widths of the strip's images once all are shown for the clicked ``item``
    (not the item shown before): its own, then its neighbours'."""
    probe.wait_until(IMAGES_SHOWN, [scope, item])
    return probe.page.eval_on_selector_all(f"{scope} {CARDS}", "(cards) => cards.map("
                                           "(t) => t.naturalWidth)")


def test_the_strip_shows_the_images_the_kernel_reads(browser, live, tmp_path):
    view = EmbeddingsView.from_run(live.run, selected_item=0)
    widget = EmbeddingsWidget.from_view(view)
    probe, asked = live_page(browser, tmp_path, widget,
                             {**view.state(), "neighbour_images": widget.neighbour_images},
                             "embeddings.js")
    widths = strip_images(probe, ".petlens-emb-neighbours", view.items[0])
    shown = [int(j) for j in view.neighbour_index[0] if j >= 0]
    assert len(widths) == 1 + len(shown) == 9 and min(widths) > 0
    # the clicked item's image first, then each neighbour's, once
    assert [(a["kind"], a["index"]) for a in asked[:1]] == [("item_image", 0)]
    assert [a["kind"] for a in asked[1:]] == ["neighbour_image"] * len(shown)
    assert sorted(a["index"] for a in asked[1:]) == sorted(shown)
    assert probe.errors == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    strip = probe.page.locator(".petlens-emb-neighbours")
    strip.scroll_into_view_if_needed()
    probe.page.screenshot(path=str(SHOTS / "neighbour-images-1280x720.png"))
    probe.page.set_viewport_size({"width": 1400, "height": 1000})
    probe.page.wait_for_timeout(200)  # the layout follows the resize (a frame)
    strip.scroll_into_view_if_needed()
    probe.page.screenshot(path=str(SHOTS / "neighbour-images-1400x1000.png"))
    # the next item: the images already read are not asked again
    before = len(asked)
    probe.page.evaluate("window.petlensModel.set('selected_item', 1)")
    strip_images(probe, ".petlens-emb-neighbours", view.items[1])
    again = {int(j) for j in view.neighbour_index[1] if j >= 0} & set(shown)
    assert [(a["kind"], a["index"]) for a in asked[before:before + 1]] == [("item_image", 1)]
    assert not again & {a["index"] for a in asked[before:] if a["kind"] == "neighbour_image"}
    # and back to the first: nothing asked
    before = len(asked)
    probe.page.evaluate("window.petlensModel.set('selected_item', 0)")
    strip_images(probe, ".petlens-emb-neighbours", view.items[0])
    assert asked[before:] == []
    assert probe.errors == []


def test_the_dashboard_panel_asks_through_its_scope(browser, live, tmp_path):
    widget = Dashboard.from_run(live.run)
    state = {**DashboardView.from_run(live.run).state(), "emb_selected_item": 2,
             "emb_neighbour_images": widget.emb_neighbour_images}
    probe, asked = live_page(browser, tmp_path, widget, state, "dashboard.js")
    widths = strip_images(probe, "section[data-panel=embeddings] .petlens-emb-neighbours",
                          str(live.run.preds.items[2]))
    assert len(widths) == 9 and min(widths) > 0
    assert {a["view"] for a in asked} == {"emb_"}
    assert (asked[0]["kind"], asked[0]["index"]) == ("item_image", 2)
    assert probe.errors == []


def test_the_offline_report_says_no_thumbnail_stored(browser, live, tmp_path):
    path = live.run.export_html(tmp_path / "report.html")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    probe = PageProbe(page)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-petlens-painted]", timeout=60_000)
    page.evaluate("window.petlensModel.set('emb_selected_item', 0)")
    tiles = page.locator(f"section[data-panel=embeddings] {TILES}")
    tiles.first.wait_for()
    assert tiles.all_text_contents() == ["no thumbnail stored"] * 8
    assert page.locator("section[data-panel=embeddings] .petlens-emb-query "
                        ".petlens-emb-thumb").all_text_contents() == ["no thumbnail stored"]
    assert page.locator("section[data-panel=embeddings] .petlens-emb-card img").count() == 0
    assert probe.errors == [] and probe.network_requests == []
