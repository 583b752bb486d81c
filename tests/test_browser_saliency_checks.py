"""The saliency-quality panel in real Chromium: alone (its bundle) and in the offline report,
its states (checks off, pending), and screenshots at 12, 37 and 1000 classes in both window
sizes (``/tmp/trust-shots/``, or ``$PETLENS_SHOTS``)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser import open_html
from playwright.sync_api import expect
from saliency_checks_support import add_saliency_checks

from petlens import load_run
from petlens.demo.scale_run import write_run
from petlens.report import build_html
from petlens.standalone import standalone_page
from petlens.views import SaliencyChecksView

SHOTS = Path(os.environ.get("PETLENS_SHOTS", "/tmp/trust-shots"))
SIZES = ((1280, 720), (1400, 1000))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = {}
    for n_classes, n_items in ((12, 240), (37, 740), (1000, 5000)):
        path = write_run(tmp_path_factory.mktemp(f"c{n_classes}"), n_classes=n_classes,
                         n_items=n_items)
        top = add_saliency_checks(path, k=6, seed=n_classes)
        out[n_classes] = (load_run(path), top)
    return out


def test_the_panel_alone_shows_each_method_and_check(browser, runs, tmp_path):
    view = SaliencyChecksView.from_run(runs[12][0])
    probe = open_html(browser, tmp_path / "sc.html",
                      standalone_page("saliency_checks.js", view.state(), title="checks"))
    page = probe.page
    rows = page.locator(".petlens-saliency-checks tbody tr")
    expect(rows).to_have_count(2)
    first = view.state()["methods"][0]
    for check in ("randomisation", "deletion", "insertion", "localisation"):
        chip = rows.first.locator(f"[data-check={check}] .petlens-verdict")
        label = {"na": "n/a"}.get(first["verdicts"][check], first["verdicts"][check])
        expect(chip).to_have_text(label)
        title = rows.first.locator(f"[data-check={check}] .petlens-sc-cell").get_attribute(
            "title")
        assert "Passes when" in title
    expect(page.locator(".petlens-sc-meaning li")).to_have_count(5)
    assert probe.errors == [] and probe.network_requests == []


@pytest.mark.parametrize(("status", "text"), [("off", "saliency_checks=False"),
                                              ("none", "No saliency checks")])
def test_the_panel_says_when_there_is_nothing_to_show(browser, tmp_path, status, text):
    view = SaliencyChecksView(status)
    probe = open_html(browser, tmp_path / "sc.html",
                      standalone_page("saliency_checks.js", view.state(), title="checks"))
    expect(probe.page.locator(".petlens-sc-notice")).to_contain_text(text)
    expect(probe.page.locator(".petlens-sc-table")).to_be_hidden()
    assert probe.errors == []


@pytest.mark.parametrize("n_classes", [12, 37, 1000])
def test_the_panel_in_the_report_and_screenshots(browser, runs, tmp_path, n_classes):
    run, _ = runs[n_classes]
    html, _ = build_html(run)
    probe = open_html(browser, tmp_path / "report.html", html)
    page = probe.page
    panel = page.locator(".petlens-panel-saliency_checks")
    expect(panel.locator("tbody tr")).to_have_count(2)
    assert probe.errors == [] and probe.network_requests == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"panel-{n_classes}-{width}x{height}.png"))


@pytest.mark.parametrize("n_classes", [12, 37, 1000])
def test_the_trust_badge_of_each_map_in_the_detail_panel(browser, runs, tmp_path, n_classes):
    run, top = runs[n_classes]
    expected = {r["item"]: r for r in run.saliency_checks.rows() if r["method"] == "gradcam"}
    probe = open_html(browser, tmp_path / "report.html", build_html(run)[0])
    page = probe.page
    panel = ".petlens-panel-top_losses"
    SHOTS.mkdir(parents=True, exist_ok=True)
    for n, index in enumerate(top[:4]):
        page.locator(f"{panel} .petlens-card[data-index='{index}']").click()
        detail = page.locator(f"{panel} .petlens-detail")
        expect(detail.locator("canvas.petlens-heat")).to_be_visible()
        chip = detail.locator(".petlens-trust-chip")
        row = expected[str(run.preds.items[index])]
        label = {"na": "n/a"}.get(row["verdict"], row["verdict"])
        expect(chip).to_have_text(f"trust: {label}")
        expect(chip).to_have_class(re.compile(f"petlens-verdict-{row['verdict']}"))
        title = chip.get_attribute("title")
        assert "Randomisation:" in title and "Deletion:" in title and "passes when" in title
        expect(detail.locator(".petlens-trust-line")).to_contain_text(
            "not computable" if row["verdict"] == "na" else "hover for the numbers")
        if n == 2:  # a failing map: screenshots
            for width, height in SIZES:
                page.set_viewport_size({"width": width, "height": height})
                detail.scroll_into_view_if_needed()
                page.screenshot(path=str(SHOTS / f"badge-{n_classes}-{width}x{height}.png"))
        page.keyboard.press("Escape")
    assert probe.errors == [] and probe.network_requests == []


def test_the_badge_in_the_top_loss_bundle_alone(browser, runs, tmp_path):
    from petlens.views import TopLossesView

    run, top = runs[12]
    view = TopLossesView.from_run(run)
    assert {e["index"] for e in view.state()["saliency_checks"]} == set(top)
    probe = open_html(browser, tmp_path / "tl.html",
                      standalone_page("top_losses.js", view.state(), title="top losses"))
    page = probe.page
    page.locator(f".petlens-card[data-index='{top[0]}']").click()
    chip = page.locator(".petlens-detail .petlens-trust-chip")
    expect(chip).to_have_text(re.compile(r"^trust: (pass|warn|fail|n/a)$"))
    assert "Localisation:" in chip.get_attribute("title")
    assert probe.errors == [] and probe.network_requests == []
