"""The self-contained HTML report: one offline file, interactive, safe, in real Chromium."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from browser import open_html
from playwright.sync_api import expect

from petlens import PetLensError, load_run
from petlens.cli import main

HOSTILE = ["<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>"]


@pytest.fixture
def run_copy(session_run, tmp_path):
    session_run["lens"].wait_for_saliency(progress=False)  # computed in the background
    return shutil.copytree(session_run["lens"].path, tmp_path / "run")


def open_report(browser, path):
    probe = open_html(browser, path.with_suffix(".opened.html"), path.read_text("utf-8"))
    probe.dialogs = []
    probe.page.on("dialog", lambda d: (probe.dialogs.append(d.message), d.dismiss()))
    return probe


def test_report_is_one_offline_interactive_file(browser, run_copy):
    run = load_run(run_copy)
    path = run.export_html()
    assert path == run_copy / "report.html"
    html = path.read_text("utf-8")
    assert "Content-Security-Policy" in html and "connect-src 'none'" in html
    assert not re.search(r"(src|href)=[\"']https?:", html)
    probe = open_report(browser, path)
    page = probe.page
    assert probe.errors == [] and probe.network_requests == []
    for panel in ("petlens-confusion", "petlens-losses", "petlens-lrfind", "petlens-timeline"):
        assert page.locator(f".{panel}").count() == 1
    assert probe.painted_pixels("canvas.petlens-cells") > 1000
    assert probe.painted_pixels(".petlens-lrfind canvas") > 1000
    header = page.inner_text(".petlens-dash-header")
    assert "resnet18" in header and f"{run.error_rate:.1%}" in header

    # clicking a confusion cell shows that cell's examples in the top-loss browser
    cm = run.confusion_matrix()
    order = json.loads(page.evaluate("() => JSON.stringify(window.petlensModel.get('cm_orders'))"))
    order = order[probe.model("cm_order")]
    box = page.locator("canvas.petlens-cells").bounding_box()
    c = len(run.vocab)
    page.mouse.click(box["x"] + 0.5 * box["width"] / c, box["y"] + 0.5 * box["height"] / c)
    actual, predicted = order[0], order[0]
    assert probe.model("selection") == [actual, predicted]
    expect(page.locator(".petlens-losses .petlens-count")).to_have_text(
        re.compile(f"^{cm[actual, predicted]} of {len(run.preds)} items"))

    page.evaluate("() => window.petlensModel.set('time_cursor', 0)")
    page.click(".petlens-tl-play")
    # the dashboard's timeline plays (the whole timeline takes about 10 s at 1x)
    page.wait_for_function("() => window.petlensModel.get('time_cursor') > 0", timeout=8000)
    assert probe.errors == [] and probe.network_requests == []


def test_hostile_class_names_stay_inert_text(browser, run_copy):
    manifest_path = run_copy / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["data"]["vocab"][:2] = HOSTILE
    manifest_path.write_text(json.dumps(manifest))
    path = load_run(run_copy).export_html()
    html = path.read_text("utf-8")
    assert "</script><script>alert(2)" not in html  # never inlined raw
    probe = open_report(browser, path)
    page = probe.page
    page.wait_for_timeout(300)
    text = page.inner_text("body")
    assert HOSTILE[0] in text and HOSTILE[1] in text  # shown literally
    assert probe.dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert probe.errors == [] and probe.network_requests == []


def test_partial_run_is_reported_as_partial(browser, run_copy):
    manifest_path = run_copy / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["complete"] = False
    manifest["phases"][-1]["status"] = "interrupted"
    manifest_path.write_text(json.dumps(manifest))
    probe = open_report(browser, load_run(run_copy).export_html())
    assert "partial" in probe.page.inner_text(".petlens-dash-header").lower()


def test_an_image_two_panels_show_is_in_the_page_once(run_copy):
    import base64

    run = load_run(run_copy)
    page = run.export_html(run_copy / "r.html").read_text("utf-8")
    thumbs = [run.thumbnail(item) for item in run.manifest["artefacts"]["thumbs"]["items"]]
    # at 48 px a detail image is the same JPEG as its thumbnail: the card and the detail
    # panel share it
    assert thumbs and run.detail_images
    for path in [*thumbs, *run.detail_images.values()]:
        assert page.count(base64.b64encode(path.read_bytes()).decode("ascii")) == 1, path


def test_size_budget_drops_detail_images_then_thumbnails_and_says_so(run_copy, capsys):
    from PIL import Image

    run = load_run(run_copy)
    for path in run.detail_images.values():  # at 48 px a detail image is its thumbnail:
        with Image.open(path) as img:  # make each its own JPEG, as at 224 px
            img.convert("RGB").save(path, quality=97)
    full = run.export_html(run_copy / "full.html").stat().st_size / 1e6
    n_thumbs = len(run.manifest["artefacts"]["thumbs"]["items"])
    n_details = len(run.detail_images)
    small = run.export_html(run_copy / "small.html", max_mb=full - 0.005)
    assert small.stat().st_size / 1e6 <= full - 0.005
    out = capsys.readouterr().out
    assert f"of {n_details} detail images" in out and "thumbnails" not in out
    details_mb = sum(p.stat().st_size for p in run.detail_images.values()) * 4 / 3 / 1e6
    run.export_html(run_copy / "smaller.html", max_mb=full - details_mb - 0.005)
    out = capsys.readouterr().out
    assert f"{n_details} of {n_details} detail images" in out and f"of {n_thumbs} thumbnails" in out
    with pytest.raises(PetLensError, match="even without detail images and thumbnails"):
        run.export_html(run_copy / "tiny.html", max_mb=0.01)
    assert not (run_copy / "tiny.html").exists()


def test_broken_run_writes_no_report(run_copy, tmp_path, capsys):
    (run_copy / "timeline.npz").write_bytes(b"not a zip")
    out = tmp_path / "r.html"
    assert main(["report", str(run_copy), "-o", str(out)]) == 2
    assert "timeline.npz" in capsys.readouterr().err
    assert not out.exists()


def test_cli_report(run_copy, tmp_path, capsys):
    out = tmp_path / "shared" / "pets.html"
    assert main(["report", str(run_copy), "-o", str(out)]) == 0
    assert out.is_file() and str(out) in capsys.readouterr().out


def test_report_prints_without_controls(browser, run_copy):
    probe = open_report(browser, load_run(run_copy).export_html())
    page = probe.page
    header = page.inner_text(".petlens-dash-header")
    for label in ("Layer groups", "Training", "Duration", "Versions"):
        assert label in header
    page.emulate_media(media="print")
    assert not page.locator(".petlens-tl-controls").is_visible()
    assert page.locator(".petlens-dash-header").is_visible()
    assert page.pdf()[:4] == b"%PDF"
