"""Label-issue triage in Chromium: keys on a page of the top-loss bundle answered by the real
Python widget (decisions land in fixes.json), the relabel picker at 1000 classes, hostile names
as text, and the offline report's decisions (kept across a reload, exported as JSON and CSV
made in the page, read back by ``run.fixes.import_file``)."""

from __future__ import annotations

import json

import pytest
from browser import kernel_page, open_html
from playwright.sync_api import expect

from petlens.demo.scale_run import scale_vocab, write_run
from petlens.run import load_run
from petlens.views import TopLossesView

EVIL = '<img src=x onerror=alert(1)>'
PANEL = ".petlens-panel-top_losses"

def live_page(browser, tmp_path, view, *, viewport=(1400, 1000), widget=None, state=None,
              bundle="top_losses.js", trait="fixes"):
    """The ``bundle`` showing ``view`` (``state``: its traits) in Chromium, talking to its
    widget (its ``trait`` synced back after each request); returns the probe and the widget."""
    widget = view.widget() if widget is None else widget
    probe, _ = kernel_page(browser, tmp_path / "live.html", widget,
                           view.state() if state is None else state, bundle,
                           viewport=viewport, traits=(trait,))
    return probe, widget


@pytest.fixture
def run(tmp_path):
    vocab = scale_vocab(12)
    vocab[4] = EVIL
    return load_run(write_run(tmp_path / "run", n_classes=12, n_items=240, vocab=vocab))


def card(page, index, scope=""):
    return page.locator(f"{scope} .petlens-card[data-index='{index}']".strip())


def decisions_on_disk(run) -> dict:
    if not run.fixes.path.exists():
        return {}
    doc = json.loads(run.fixes.path.read_text())
    return {d["item"]: (d["action"], d["label"]) for d in doc["decisions"]}


def test_keyboard_triage_of_a_page_stores_decisions_through_the_widget(browser, run, tmp_path):
    probe, widget = live_page(browser, tmp_path, TopLossesView.from_run(run))
    page = probe.page
    dialogs = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    items = [str(i) for i in run.preds.items]
    order = [int(i) for i in run.top_losses(6)[1]]  # the page, largest loss first
    card(page, order[0]).focus()
    for key in "kdu":
        page.keyboard.press(key)
    expect(card(page, order[3])).to_be_focused()  # each decision moves to the next card
    page.keyboard.press("r")  # relabel: the picker, cleanlab's suggestion first
    picker = page.locator(".petlens-picker")
    expect(picker).to_be_visible()
    suggested = run.vocab[run.preds.decoded[order[3]]]
    if run.preds.decoded[order[3]] != run.preds.targets[order[3]]:
        expect(picker.locator("[role=option]").first).to_contain_text(suggested)
    new = next(c for c in run.vocab if c != run.vocab[run.preds.targets[order[3]]]
               and c != EVIL)
    page.keyboard.type(new)
    page.keyboard.press("Enter")
    expect(page.locator(".petlens-queue-summary")).to_have_text(
        "4 decisions: 1 keep, 1 relabel, 1 delete, 1 unsure")
    assert decisions_on_disk(run) == {
        items[order[0]]: ("keep", None), items[order[1]]: ("delete", None),
        items[order[2]]: ("unsure", None), items[order[3]]: ("relabel", new)}
    # clear by key, on the focused card: removed on disk, kept nowhere
    card(page, order[1]).focus()
    page.keyboard.press("Backspace")
    expect(page.locator(".petlens-queue-summary")).to_have_text(
        "3 decisions: 1 keep, 1 relabel, 1 unsure")
    assert items[order[1]] not in decisions_on_disk(run)
    assert {d["item"] for d in widget.fixes} == set(decisions_on_disk(run))
    # the queue survives sort, filter and page changes (it is the trait, not the DOM)
    page.select_option(".petlens-losses-toolbar select >> nth=2", "label_quality")
    page.locator(".petlens-issues-only input").check()
    page.locator(".petlens-pager button", has_text="Next").click()
    expect(page.locator(".petlens-queue-summary")).to_have_text(
        "3 decisions: 1 keep, 1 relabel, 1 unsure")
    assert probe.errors == [] and dialogs == []
    assert page.locator("img").count() == 0, "class and item names never become elements"
    page.close()


def test_the_picker_searches_1000_classes(browser, tmp_path):
    run = load_run(write_run(tmp_path / "big", n_classes=1000, n_items=2000))
    probe, _ = live_page(browser, tmp_path, TopLossesView.from_run(run), viewport=(1280, 720))
    page = probe.page
    first = int(run.top_losses(1)[1][0])
    card(page, first).focus()
    page.keyboard.press("r")
    options = page.locator(".petlens-picker [role=option]")
    expect(options).to_have_count(40)  # of 999: drawn at most 40, the rest by typing
    target = run.vocab[737]
    page.keyboard.type(target)
    expect(options.first).to_have_text(target)
    elapsed = page.evaluate("""() => {
        const input = document.querySelector('.petlens-picker input');
        const started = performance.now();
        for (let n = 0; n < 20; n++) {
            input.value = String(n % 10); input.dispatchEvent(new Event('input'));
        }
        return (performance.now() - started) / 20;
    }""")
    print(f"picker keystroke at 1000 classes: {elapsed:.2f} ms")
    assert elapsed < 50, f"a keystroke takes {elapsed:.1f} ms at 1000 classes"
    page.fill(".petlens-picker input", target)
    page.keyboard.press("Enter")
    expect(page.locator(".petlens-queue-summary")).to_have_text("1 decision: 1 relabel")
    assert decisions_on_disk(run) == {str(run.preds.items[first]): ("relabel", target)}
    assert probe.errors == []
    page.close()


def test_the_report_keeps_decisions_and_exports_files_petlens_reads_back(browser, run,
                                                                          tmp_path):
    from petlens.report import build_html

    html, _ = build_html(run)
    probe = open_html(browser, tmp_path / "report.html", html)
    page = probe.page
    panel = page.locator(PANEL)
    items = [str(i) for i in run.preds.items]
    order = [int(i) for i in run.top_losses(3)[1]]
    card(page, order[0], PANEL).focus()
    page.keyboard.press("d")
    page.keyboard.press("u")
    page.keyboard.press("r")
    new = run.vocab[(run.preds.targets[order[2]] + 1) % len(run.vocab)]
    page.keyboard.type(new)
    page.keyboard.press("Enter")
    summary = panel.locator(".petlens-queue-summary")
    expect(summary).to_have_text("3 decisions: 1 relabel, 1 delete, 1 unsure")
    assert not run.fixes.path.exists(), "the report writes nothing to the run"

    # kept by the browser (localStorage works on file:// under the report's CSP)
    page.reload()
    page.wait_for_selector("body[data-petlens-ready]")
    expect(summary).to_have_text("3 decisions: 1 relabel, 1 delete, 1 unsure")
    expect(panel.locator(".petlens-queue-where")).to_contain_text(
        "kept in this page and this browser")

    files = {}
    for fmt, button in (("json", "Export decisions (JSON)"), ("csv", "CSV")):
        with page.expect_download() as info:
            panel.get_by_role("button", name=button, exact=True).click()
        download = info.value
        files[fmt] = tmp_path / download.suggested_filename
        download.save_as(files[fmt])
    assert files["json"].name == f"petlens-fixes-{run.id}.json"
    header = files["csv"].read_text().splitlines()[0]
    assert header == "item,old_label,new_label,action,decided,by,run"
    expected = {items[order[0]]: ("delete", None), items[order[1]]: ("unsure", None),
                items[order[2]]: ("relabel", new)}
    for fmt in ("json", "csv"):
        run.fixes.path.unlink(missing_ok=True)
        assert run.fixes.import_file(files[fmt]) == 3
        assert {d.item: (d.action, d.label) for d in run.fixes} == expected, fmt
        assert {d.by for d in run.fixes} == {"report"}
    assert probe.errors == []
    assert [u for u in probe.network_requests if u != page.url] == []  # the reload's page only
    page.close()


def test_the_dashboard_routes_decisions_and_follows_the_embedding_selection(browser, run,
                                                                           tmp_path):
    from petlens.views.dashboard import DashboardView

    dash = run.show()
    probe, _ = live_page(browser, tmp_path, None, widget=dash, bundle="dashboard.js",
                         state=DashboardView.from_run(run).state(), trait="tl_fixes")
    page = probe.page
    items = [str(i) for i in run.preds.items]
    first = int(run.top_losses(1)[1][0])
    card(page, first, PANEL).focus()
    page.keyboard.press("d")
    summary = page.locator(f"{PANEL} .petlens-queue-summary")
    expect(summary).to_have_text("1 decision: 1 delete")
    assert decisions_on_disk(run) == {items[first]: ("delete", None)}
    assert [d["item"] for d in dash.tl_fixes] == [items[first]]
    # the embedding scatter sets the shared item_selection: the list shows those items
    page.evaluate("window.petlensModel.set('item_selection', [7, 3, 11])")
    cards = page.locator(f"{PANEL} .petlens-card")
    expect(cards).to_have_count(3)
    chip = page.locator(f"{PANEL} .petlens-picked-chip")
    expect(chip).to_contain_text("3 items selected in the embedding")
    chip.get_by_role("button").click()
    assert page.evaluate("window.petlensModel.get('item_selection')") is None
    expect(cards).to_have_count(24)
    expect(summary).to_have_text("1 decision: 1 delete")  # the queue survives it all
    assert probe.errors == []
    page.close()
