"""The LR finder and the timeline in headless Chromium, on real recorded sessions and on
``write_run`` runs: the copy line, raw losses, momentum, the rate axis, zoom and Play."""

from __future__ import annotations

import re

import numpy as np
import pytest
from browser import open_html
from playwright.sync_api import expect

from petlens import load_run
from petlens.demo.scale_run import write_run
from petlens.standalone import standalone_page
from petlens.views import LrFindView, TimelineView


@pytest.fixture
def unfreeze_run(make_learner, tmp_path):
    """Chapter 5 by hand: lr_find while frozen, one frozen epoch and two unfrozen ones,
    then ``unfreeze`` and a second lr_find."""
    from petlens import PetLens

    learn = make_learner()
    learn.add_cb(PetLens(path=tmp_path / "runs"))
    learn.freeze()
    learn.lr_find(num_it=20, show_plot=False)
    learn.fine_tune(2, base_lr=2e-3, freeze_epochs=1)
    learn.unfreeze()
    learn.lr_find(num_it=20, show_plot=False)
    return load_run(next((tmp_path / "runs").iterdir()))


def page_of(browser, tmp_path, bundle, state, name):
    return open_html(browser, tmp_path / f"{name}.html", standalone_page(bundle, state, title=name))


def sliced(line: str) -> tuple[float, float]:
    """(lo, hi) of a ``lr_max=slice(lo, hi)`` line."""
    lo, hi = re.fullmatch(r".*slice\(([^,]+), ([^)]+)\)\)", line).groups()
    return float(lo), float(hi)


def click_chart(page, fraction=0.45):
    box = page.locator(".petlens-lrfind canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.5)


def test_copy_line_follows_the_run_and_the_curve(browser, unfreeze_run, tmp_path):
    run = unfreeze_run
    assert [c.frozen_idx > 0 for c in run.lr_finds] == [True, False]
    view = LrFindView.from_run(run)
    assert view.epochs_hint == 2  # the unfrozen fit of fine_tune(2)
    probe = page_of(browser, tmp_path, "lr_find.js", view.state(), "lr")
    page = probe.page
    click_chart(page)
    hi = probe.model("selected_lr")
    code = page.locator(".petlens-pick-code")
    # the active curve is the last one, recorded after unfreeze: fit_one_cycle with a slice
    expect(code).to_have_value(re.compile(r"^learn\.fit_one_cycle\(2, lr_max=slice\(\S+, \S+\)\)$"))
    lo, hi_line = sliced(code.input_value())
    assert hi_line == pytest.approx(hi, rel=0.05)
    assert lo == pytest.approx(hi / 100, rel=0.06)  # chapter 5's ratio
    hundredth = code.input_value()
    page.select_option(".petlens-pick-ratio", "10")
    assert probe.model("slice_ratio") == 10
    expect(code).not_to_have_value(hundredth)
    assert sliced(code.input_value()) == pytest.approx((hi / 10, hi), rel=0.06)
    page.locator(".petlens-lrfind-legend button").first.click()  # the frozen lr_find
    expect(code).to_have_value(re.compile(r"^learn\.fine_tune\(2, base_lr=\S+\)$"))
    expect(page.locator(".petlens-pick-ratio")).to_be_hidden()
    assert probe.errors == [] and probe.network_requests == []


def test_session_run_offers_its_own_epochs(browser, session_run, tmp_path):
    run = session_run["lens"].run  # lr_find on an unfrozen learner, then fine_tune(1)
    probe = page_of(browser, tmp_path, "lr_find.js", LrFindView.from_run(run).state(), "lr")
    click_chart(probe.page)
    expect(probe.page.locator(".petlens-pick-code")).to_have_value(
        re.compile(r"^learn\.fit_one_cycle\(1, lr_max=slice\("))
    assert LrFindView.from_run(run, epochs_hint=7).state()["epochs_hint"] == 7


def test_raw_losses_retitle_the_loss_axis(browser, session_run, tmp_path):
    run = session_run["lens"].run
    probe = page_of(browser, tmp_path, "lr_find.js", LrFindView.from_run(run).state(), "lr")
    page = probe.page
    canvas = page.locator(".petlens-lrfind canvas")
    box = canvas.bounding_box()
    title = {"x": box["x"], "y": box["y"], "width": 22, "height": box["height"] - 40}
    expect(canvas).to_have_attribute("aria-label", re.compile(r"^Loss \(smoothed\) against"))
    before = page.screenshot(clip=title)
    page.get_by_text("Raw losses").click()
    assert probe.model("show_raw") is True
    expect(canvas).to_have_attribute("aria-label", re.compile(r"^Loss \(smoothed; raw faint\)"))
    assert page.screenshot(clip=title) != before  # the drawn axis title changed


def timeline_runs(session_run, tmp_path):
    yield "session", session_run["lens"].run
    yield "scale37", load_run(write_run(tmp_path / "r37", n_classes=37, n_items=400))


# Per device-pixel column of a canvas: how many pixels are more opaque than `alpha`.
COLUMNS_JS = """const columns = (canvas, alpha = 0) => {
    const w = canvas.width;
    const { data } = canvas.getContext('2d').getImageData(0, 0, w, canvas.height);
    const cols = new Array(w).fill(0);
    for (let i = 3; i < data.length; i += 4) if (data[i] > alpha) cols[((i - 3) / 4) % w]++;
    return cols;
};"""


def data_columns(page):
    """Painted pixels per device-pixel column of the timeline's data canvas."""
    return page.eval_on_selector("canvas.petlens-tl-data",
                                 f"(canvas) => {{ {COLUMNS_JS} return columns(canvas); }}")


def test_momentum_and_the_rate_axis(browser, session_run, tmp_path):
    for name, run in timeline_runs(session_run, tmp_path):
        state = TimelineView.from_run(run).state()
        probe = page_of(browser, tmp_path, "timeline.js", state, name)
        page = probe.page
        moms = state["moms"][-1]
        readout = page.inner_text(".petlens-tl-groups")
        assert f"mom {float(moms[0]):.4g}" in readout
        with_moms = probe.painted_pixels("canvas.petlens-tl-data")
        lo, hi = map(float, page.get_attribute(".petlens-tl-stage", "data-lr-domain").split(","))
        lrs = state["lrs"][state["lrs"] > 0]
        assert lo < lrs.min() < lrs.max() < hi  # the end of the annealing included
        assert np.log10(lrs.min() / lo) < 0.1 * np.log10(hi / lo)  # with a small margin only
        without = page_of(browser, tmp_path, "timeline.js", {**state, "moms": None}, f"{name}-0")
        assert with_moms > without.painted_pixels("canvas.petlens-tl-data")  # momentum drawn
        assert "mom" not in without.page.inner_text(".petlens-tl-groups")
        assert probe.errors == [] and without.errors == []


def test_zoom_changes_the_iterations_in_view(browser, session_run, tmp_path):
    for name, run in timeline_runs(session_run, tmp_path):
        probe = page_of(browser, tmp_path, "timeline.js", TimelineView.from_run(run).state(), name)
        page = probe.page
        T = len(run.timeline)
        show = page.locator(".petlens-tl-show")
        assert show.locator("option:checked").inner_text() == f"all {T:,} iterations"
        frozen = run.phases[0]
        full = data_columns(page)
        page.select_option(".petlens-tl-show", label=f"fit 1 (frozen): 0–{frozen['n_iter']}")
        expect(show.locator("option:checked")).to_have_text(re.compile(r"^fit 1 \(frozen\)"))
        page.wait_for_function("() => new Promise((r) => requestAnimationFrame(() => r(true)))")
        assert data_columns(page) != full  # the frozen fit fills the plot
        page.get_by_role("button", name="Zoom out").click()
        expect(show.locator("option:checked")).to_have_text(re.compile(r"^(iterations|all) "))
        page.dblclick("canvas.petlens-tl-overlay")
        expect(show.locator("option:checked")).to_have_text(f"all {T:,} iterations")
        box = page.locator("canvas.petlens-tl-overlay").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6)
        page.mouse.wheel(0, -600)
        expect(show.locator("option:checked")).to_have_text(re.compile(r"^iterations \d"))
        label = show.locator("option:checked").inner_text()
        a, b = (int(v.replace(",", "")) for v in re.findall(r"[\d,]+", label)[:2])
        assert 0 < b - a < T
        assert probe.errors == []


def test_play_reveals_the_data_up_to_the_cursor(browser, session_run, tmp_path):
    for name, run in timeline_runs(session_run, tmp_path):
        state = {**TimelineView.from_run(run).state(), "cursor": 0, "speed": 1.0}
        probe = page_of(browser, tmp_path, "timeline.js", state, name)
        page = probe.page
        paused = data_columns(page)
        page.click(".petlens-tl-play")
        page.wait_for_timeout(3000)  # about a third of the run (10 s at 1x)
        # one synchronous read of both canvases: no frame runs in between
        frame = page.eval_on_selector(".petlens-tl-stage", f"""(stage) => {{
            {COLUMNS_JS}
            const [, data, overlay] = stage.querySelectorAll('canvas');
            const cursor = Number(overlay.getAttribute('aria-valuenow'));
            return {{ data: columns(data, 200), overlay: columns(overlay, 200), cursor }};
        }}""")
        cursor_x = int(np.argmax(frame["overlay"]))  # the cursor line: the tallest opaque column
        assert 0 < frame["cursor"] < len(run.timeline) - 1
        right = frame["data"][cursor_x + 3:]
        left = frame["data"][:cursor_x - 2]
        assert sum(right) == 0 and sum(left) > 1000, (cursor_x, sum(left), sum(right))
        assert sum(paused[cursor_x + 3:]) > 1000  # paused, the same columns were drawn
        page.click(".petlens-tl-play")  # pause: everything again
        page.wait_for_timeout(100)
        assert sum(data_columns(page)[cursor_x + 3:]) > 1000
        assert probe.errors == []
