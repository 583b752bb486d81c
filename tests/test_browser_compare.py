"""The comparison page (``petlens compare A B -o diff.html``) in headless Chromium: offline (no
network request), within the report's budget at pets scale, hostile names inert, and the
item browser filtered by a change category (issue 16)."""

from __future__ import annotations

import json

import pytest
from browser import PageProbe
from playwright.sync_api import expect

from petlens import load_run
from petlens.cli import main
from petlens.compare import compare
from petlens.demo import make_pets
from petlens.demo.scale_run import write_run
from petlens.report import DEFAULT_MAX_MB

HOSTILE = ['<img src=x onerror="window.__pwned=1">', "</script><script>window.__pwned=2"
           "</script>", "&lt;b&gt;&amp;", "javascript:alert(1)", "{{7*7}}",
           "\u202eevil.exe", "a\nb"]


@pytest.fixture(scope="module")
def pets_pair(tmp_path_factory):
    """Two runs at pets scale (37 breeds, 1,478 items) with thumbnails: B a better model of
    the same items."""
    tmp = tmp_path_factory.mktemp("compare-pets")
    images = make_pets(tmp / "pets", n_classes=37, per_class=4, size=160) / "images"
    a = write_run(tmp / "runs", n_classes=37, n_items=1478, images=images)
    b = write_run(tmp / "runs", n_classes=37, n_items=1478, images=images, prediction_seed=1,
                  accuracy=0.9)
    return a, b


def open_page(browser, path) -> PageProbe:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    probe = PageProbe(page)
    page.on("dialog", lambda d: (probe.errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-petlens-painted]", timeout=30_000)
    return probe


def test_the_page_is_offline_within_budget_and_filters_by_change(pets_pair, browser,
                                                                    tmp_path, capsys):
    a, b = pets_pair
    out = tmp_path / "diff.html"
    assert main(["compare", str(a), str(b), "-o", str(out)]) == 0
    assert "comparison:" in capsys.readouterr().out
    assert out.stat().st_size <= DEFAULT_MAX_MB * 1e6
    counts = compare(a, b).counts
    probe = open_page(browser, out)
    page = probe.page
    assert probe.network_requests == [] and probe.errors == []
    root = page.locator(".petlens-compare")
    assert root.get_attribute("data-items") == str(counts["common"])
    assert probe.painted_pixels(".petlens-compare canvas.petlens-cells") > 0
    tile = page.locator(".petlens-cmp-count[data-kind='fixed'] .petlens-cmp-count-value")
    assert tile.inner_text().replace(",", "") == str(counts["fixed"])
    assert page.locator(".petlens-cmp-card img").count() > 0  # thumbnails from the runs
    page.locator(".petlens-cmp-chip[data-change='broken']").click()
    expect(root).to_have_attribute("data-items", str(counts["broken"]), timeout=10_000)
    assert probe.model("change_filter") == "broken"
    tags = page.locator(".petlens-cmp-card .petlens-cmp-tag").all_inner_texts()
    assert tags and len(set(tags)) == 1  # every card shown is a broken one
    assert probe.network_requests == [] and probe.errors == []
    page.close()


def test_hostile_class_run_and_item_names_stay_text(browser, tmp_path):
    vocab = [*HOSTILE, "plain"]
    paths = [write_run(tmp_path / "runs", n_classes=len(vocab), n_items=400, vocab=vocab,
                       prediction_seed=seed) for seed in (None, 1)]
    for path, name in zip(paths, ('<svg onload="window.__pwned=3">', "B</title><b>x"),
                          strict=True):
        manifest = json.loads((path / "manifest.json").read_text())
        manifest["name"] = name
        (path / "manifest.json").write_text(json.dumps(manifest))
    out = tmp_path / "hostile.html"
    assert main(["compare", str(paths[0]), str(paths[1]), "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<img src=x" not in html and "</script><script>" not in html
    probe = open_page(browser, out)
    page = probe.page
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert probe.errors == [] and probe.network_requests == []
    assert page.locator(".petlens-compare img[src='x'], .petlens-compare svg[onload]").count() \
        == 0
    text = page.locator(".petlens-compare").inner_text()
    assert '<svg onload="window.__pwned=3">' in text  # the run's name, as text
    assert page.title().startswith("petlens compare · ")
    assert load_run(paths[0]).vocab == vocab  # nothing rewrote the names on the way
    page.close()


@pytest.mark.slow
def test_the_widget_in_jupyterlab_filters_and_tells_the_kernel(browser, tmp_path_factory):
    """``petlens.compare(A, B).show()`` in a real JupyterLab: drawn, its static picture hidden,
    and a change chip clicked in the page reaches the kernel's ``change_filter``."""
    from contextlib import contextmanager

    import nbformat
    from playwright.sync_api import expect
    from test_jupyterlab import run_all_cells, serve, wait_for_prompts

    root = tmp_path_factory.mktemp("lab-compare")
    for name, seed in (("a", None), ("b", 1)):
        write_run(root, n_classes=12, n_items=480, prediction_seed=seed).rename(root / name)
    cells = ["import petlens\nw = petlens.compare('a', 'b').show()\nw", "w.change_filter"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nbformat.write(nb, root / "compare.ipynb")
    counts = compare(root / "a", root / "b").counts
    server = contextmanager(serve)("lab", root, tmp_path_factory.mktemp("lab-compare-home"))
    with server as lab:  # shut down even when the test fails
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        probe = PageProbe(page)
        page.goto(f"{lab.url}/lab/tree/compare.ipynb?token={lab.token}", timeout=120_000)
        expect(page.locator(".jp-Notebook .jp-CodeCell")).to_have_count(len(cells),
                                                                        timeout=60_000)
        page.keyboard.press("Control+b")  # close the left sidebar: room for the widget
        run_all_cells(page)
        wait_for_prompts(page, len(cells))
        widget = page.locator(".petlens-compare")
        expect(widget).to_be_visible(timeout=30_000)
        expect(widget).to_have_attribute("data-items", str(counts["common"]))
        picture = page.locator("img[data-petlens-picture]")
        expect(picture).to_have_count(1)  # the static picture, for readers without a kernel
        expect(picture).to_be_hidden()
        last = page.locator(".jp-CodeCell").nth(1)
        expect(last.locator(".jp-OutputArea-output")).to_have_text("'all'")
        page.locator(".petlens-cmp-chip[data-change='broken']").click()
        expect(widget).to_have_attribute("data-items", str(counts["broken"]))
        last.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        expect(last.locator(".jp-OutputArea-output")).to_have_text("'broken'",
                                                                   timeout=30_000)
        assert [e for e in probe.errors if "petlens" in e.lower()] == []
        page.close()
