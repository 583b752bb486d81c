"""The top-loss browser of a real report in Chromium: stored saliency for both targets over a
detail image with its colour bar, what is not stored disabled with the reason, the sorts, the
cards' p(predicted), and the keyboard after the opacity slider."""

from __future__ import annotations

import numpy as np
import pytest
from browser import open_html
from playwright.sync_api import expect

PANEL = ".petlens-panel-top_losses"
TOP_K = 3


@pytest.fixture(scope="module")
def run(dls, tmp_path_factory):
    """One epoch from scratch on the tiny pets, Grad-CAM stored for the 3 top losses."""
    from fastai.vision.all import ProgressCallback, error_rate, resnet18, set_seed, vision_learner

    from petlens import PetLens

    set_seed(1, reproducible=True)
    tmp = tmp_path_factory.mktemp("tl-browser")
    learn = vision_learner(dls, resnet18, pretrained=False, metrics=error_rate, path=tmp)
    learn.remove_cb(ProgressCallback)
    learn.add_cb(PetLens(path=tmp / "runs", saliency=("gradcam",), saliency_top_k=TOP_K))
    learn.fit(1)
    learn.pet_lens.wait_for_saliency(progress=False)  # computed in the background
    return learn.pet_lens.run


@pytest.fixture
def page(browser, run, tmp_path):
    from petlens.report import build_html

    html, dropped = build_html(run)
    assert dropped == []
    probe = open_html(browser, tmp_path / "report.html", html)
    yield probe
    assert probe.errors == [] and probe.network_requests == []
    probe.page.close()


def wait_painted(probe, selector: str, pixels: int = 100) -> None:
    """Until the canvas at ``selector`` has more than ``pixels`` painted (a busy machine
    decodes and draws later); fails with the count after 10 s."""
    for _ in range(100):
        if probe.painted_pixels(selector) > pixels:
            return
        probe.page.wait_for_timeout(100)
    assert probe.painted_pixels(selector) > pixels


def wait_drawn(probe, item: int, method: str, target: str) -> None:
    """Until the detail panel's heat canvas has drawn ``item``'s ``method`` map for
    ``target`` (decoded asynchronously, then drawn; it may be blank: a Grad-CAM map for a
    class the model does not see is zero)."""
    heat = f"{PANEL} canvas.petlens-heat[data-map='{item} {method} {target}']"
    expect(probe.page.locator(heat)).to_be_visible(timeout=10_000)


def card(page, index):
    return page.locator(f"{PANEL} .petlens-card[data-index='{index}']")


def test_stored_maps_of_both_targets_over_the_detail_image(page, run):
    p, preds = page.page, run.preds
    top = [int(i) for i in run.top_losses(TOP_K)[1]]
    wrong = [i for i in top if preds.targets[i] != preds.decoded[i]]
    assert wrong, "needs a misclassified top loss"
    item = wrong[0]
    card(p, item).click()
    detail = p.locator(f"{PANEL} .petlens-detail")
    heat = detail.locator("canvas.petlens-heat")
    wait_drawn(page, item, "gradcam", "pred")
    wait_painted(page, f"{PANEL} canvas.petlens-heat")
    assert detail.locator("img").count() == 1, "the image once, the map over it"
    size = detail.locator("img").evaluate("(img) => [img.naturalWidth, img.naturalHeight]")
    assert size == heat.evaluate("(c) => [c.width, c.height]"), "the map has the image's size"
    assert page.painted_pixels(f"{PANEL} canvas.petlens-colorbar") == 256
    legend = detail.locator(".petlens-legend-title")
    vocab = run.vocab
    expect(legend).to_have_text(f"Saliency (gradcam) for the predicted class: "
                                f"{vocab[preds.decoded[item]]}")
    before = heat.evaluate("(c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, "
                           "c.height).data.filter((_, i) => i % 4 === 3))")
    detail.locator("button[data-target='actual']").click()
    expect(legend).to_have_text(f"Saliency (gradcam) for the actual class: "
                                f"{vocab[preds.targets[item]]}")
    wait_drawn(page, item, "gradcam", "actual")
    after = heat.evaluate("(c) => Array.from(c.getContext('2d').getImageData(0, 0, c.width, "
                          "c.height).data.filter((_, i) => i % 4 === 3))")
    assert before != after, "what it saw for the true breed is another map"
    options = detail.locator("select option")
    assert options.nth(0).inner_text() == "gradcam"
    occlusion = detail.locator("select option[value='occlusion']")
    assert occlusion.inner_text() == "occlusion (not stored)" and occlusion.is_disabled()
    assert "not stored in this report" in occlusion.get_attribute("title")


def test_what_is_not_stored_is_disabled_with_the_reason(page, run):
    p = page.page
    others = np.argsort(-run.preds.losses, kind="stable")[TOP_K:]
    card(p, int(others[0])).click()
    detail = p.locator(f"{PANEL} .petlens-detail")
    status = detail.locator(".petlens-saliency-status")
    expect(status).to_have_text(f"Saliency is stored for the {TOP_K} highest-loss items; this "
                                "one is not stored in this report: run lens.show() in the "
                                "notebook to compute it.")
    assert detail.locator("select").is_disabled()
    for target in ("pred", "actual"):
        button = detail.locator(f"button[data-target='{target}']")
        assert button.is_disabled()
        assert "run lens.show() in the notebook" in button.get_attribute("title")
    assert not detail.locator("canvas.petlens-heat").is_visible()
    assert not detail.locator(".petlens-legend").is_visible()


def test_sorts_and_cards_show_the_probability_of_the_prediction(page, run):
    p, preds = page.page, run.preds
    sort = p.locator(f"{PANEL} .petlens-losses-toolbar select").nth(2)
    assert sort.locator("option").all_inner_texts() == ["Largest loss first",
                                                        "Most confident mistakes",
                                                        "Lowest label quality"]
    first = p.locator(f"{PANEL} .petlens-card").first
    top = int(run.top_losses(1)[1][0])
    prob = float(preds.prob_pred()[top]) * 100
    text = first.inner_text().replace("\n", " ")
    assert f"p(pred) {prob:.1f}%" in text or (prob >= 99.95 and "p(pred) 100%" in text)
    sort.select_option("confident_mistakes")
    wrong = np.flatnonzero(preds.targets != preds.decoded)
    expected = int(wrong[np.argsort(-preds.prob_pred()[wrong], kind="stable")[0]])
    expect(first).to_have_attribute("data-index", str(expected))
    assert page.model("tl_sort") == "confident_mistakes"


def test_escape_and_arrows_after_the_opacity_slider(page, run):
    p = page.page
    order = [int(i) for i in run.top_losses()[1]]
    card(p, order[0]).click()
    detail = p.locator(f"{PANEL} .petlens-detail")
    slider = detail.locator("input[type='range']")
    slider.click()  # pointer use: focus returns to the panel, arrows move between items
    assert page.model("tl_selected_item") == order[0]
    p.keyboard.press("ArrowRight")
    assert page.model("tl_selected_item") == order[1]
    expect(slider).to_be_enabled()
    # the next item's map is decoded (asynchronously), then drawn: wait for that drawing,
    # not the previous item's, before the slider takes the keys
    wait_drawn(page, order[1], "gradcam", "pred")  # not the previous item's map
    slider.focus()  # keyboard on the slider: arrows are its own, Escape still closes
    expect(slider).to_be_focused()
    value = slider.input_value()
    p.keyboard.press("ArrowLeft")
    expect(slider).not_to_have_value(value)
    assert page.model("tl_selected_item") == order[1]
    p.keyboard.press("Escape")
    p.wait_for_function("() => window.petlensModel.get('tl_selected_item') === null")
    expect(detail).to_be_hidden()
