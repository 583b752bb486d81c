"""Label issues at the class level in Chromium (issue 15): the per-class panel's label-issue
column and the confusion panel's overlapping classes, in the offline report (no network) and the
standalone bundles, with hostile class names; a count click filters the top losses, a pair click
selects its cell; 1000 classes keep the list short; a run without label issues says why."""

from __future__ import annotations

import re

import pytest
from browser import open_html
from playwright.sync_api import expect

from petlens import load_run
from petlens.demo.scale_run import scale_vocab, write_run
from petlens.report import build_html
from petlens.standalone import standalone_page
from petlens.views import ConfusionMatrixView

N_CLASSES, N_ITEMS = 37, 1480
EVIL = "<img src=x onerror=\"document.title='pwned'\">"
QUOTE = 'a"b</script><b>bold</b>'

# The label-issue cell of every class row, scrolled through window by window.
READ_ISSUES = """async (root) => {
  const body = root.querySelector('.petlens-pc-body');
  const frame = () => new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  const cells = {};
  for (let top = 0; ; top += body.clientHeight) {
    body.scrollTop = top;
    await frame();
    for (const row of root.querySelectorAll('.petlens-pc-classrow')) {
      cells[row.dataset.class] = row.querySelector('.petlens-pc-issues').textContent;
    }
    if (top + body.clientHeight >= body.scrollHeight) break;
  }
  body.scrollTop = 0;
  await frame();
  return cells;
}"""


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    vocab = scale_vocab(N_CLASSES)
    vocab[1], vocab[5] = EVIL, QUOTE
    return load_run(write_run(tmp_path_factory.mktemp("runs"), n_classes=N_CLASSES,
                              n_items=N_ITEMS, n_iter=20, vocab=vocab))


def test_report_column_counts_click_filters_top_losses(browser, hostile_run, tmp_path):
    run = hostile_run
    counts = run.label_issues.class_issues
    support = (run.preds.targets[:, None] == range(N_CLASSES)).sum(0)
    probe = open_html(browser, tmp_path / "report.html", build_html(run)[0])
    page = probe.page
    panel = page.locator(".petlens-panel-per_class")
    cells = panel.locator(".petlens-per-class").evaluate(READ_ISSUES)
    for c in range(N_CLASSES):
        share = 100 * counts[c] / support[c]
        wanted = "0" if counts[c] == 0 else f"{counts[c]}{share:.{2 if share < 1 else 1}f}%"
        assert cells[str(c)] == wanted, (c, cells[str(c)], wanted)
    caption = panel.locator(".petlens-pc-caption")
    expect(caption).to_have_text(re.compile(f"{counts.sum():,} possible label issues$"))
    header = panel.locator(".petlens-pc-headrow .petlens-pc-issues button")
    assert "confident learning" in header.get_attribute("title")
    assert "out-of-sample validation predictions" in header.get_attribute("title")

    # sort by label issues: most first
    header.click()
    assert (probe.model("pc_sort"), probe.model("pc_descending")) == ("issues", True)
    first = panel.locator(".petlens-pc-classrow").first
    expect(first).to_have_attribute("data-class", str(int(counts.argmax())))

    # a count click: that class in the top losses, only its flagged items where there is a
    # filter for them (the shared issues_only)
    c = int(counts.argmax())
    first.locator("button[data-issues]").click()
    assert probe.model("filter_actual") == c
    assert probe.model("issues_only") is True
    expect(panel.locator(".petlens-pc-active")).to_have_attribute("data-class", str(c))
    expect(page.locator(".petlens-panel-top_losses .petlens-card")).to_have_count(
        int(counts[c]))
    first.locator("button[data-issues]").click()
    assert probe.model("filter_actual") is None and probe.model("issues_only") is False
    assert page.locator("img[src=x]").count() == 0 and page.title() != "pwned"
    assert probe.errors == [] and probe.network_requests == []


def test_report_overlapping_pair_selects_both_cells(browser, hostile_run, tmp_path):
    run = hostile_run
    pairs = ConfusionMatrixView.from_run(run).overlapping_pairs
    probe = open_html(browser, tmp_path / "report.html", build_html(run)[0])
    page = probe.page
    region = page.locator(".petlens-panel-confusion .petlens-overlap")
    expect(region.locator("h4")).to_have_text("Overlapping classes (cleanlab)")
    expect(region.locator(".petlens-overlap-summary")).to_contain_text(
        "Consider merging or checking these two classes")
    buttons = region.locator(".petlens-overlap-list button")
    expect(buttons).to_have_count(min(10, len(pairs)))
    more = region.locator(".petlens-overlap-more")
    expect(more).to_have_text(f"{len(pairs) - 10} more")
    for i, pair in enumerate(pairs[:10]):
        names = f"{run.vocab[pair['a']]} ↔ {run.vocab[pair['b']]}"
        expect(buttons.nth(i).locator(".petlens-pair")).to_have_text(names)
        expect(buttons.nth(i).locator(".petlens-overlap-examples")).to_have_text(
            str(pair["examples"]))
    # the hostile names, shown as text wherever they are listed ("N more" shows them all)
    hostile = [i for i, p in enumerate(pairs) if {1, 5} & {p["a"], p["b"]}]
    assert hostile, "the scale run confuses each class with its neighbours"
    more.click()
    expect(buttons).to_have_count(len(pairs))
    for i in hostile:
        names = f"{run.vocab[pairs[i]['a']]} ↔ {run.vocab[pairs[i]['b']]}"
        expect(buttons.nth(i).locator(".petlens-pair")).to_have_text(names)
    more.click()
    expect(buttons).to_have_count(10)

    counts = run.confusion_matrix()
    a, b = pairs[0]["a"], pairs[0]["b"]
    cell = [b, a] if counts[b, a] > counts[a, b] else [a, b]
    buttons.first.click()
    assert probe.model("selection") == cell
    root = page.locator(".petlens-confusion")
    expect(root).to_have_attribute("data-mirror", f"{cell[1]},{cell[0]}")
    expect(buttons.first).to_have_attribute("aria-pressed", "true")
    # the top losses list the selected cell's items
    expect(page.locator(".petlens-panel-top_losses .petlens-card")).to_have_count(
        int(counts[cell[0], cell[1]]))
    buttons.first.click()
    assert probe.model("selection") is None
    expect(root).to_have_attribute("data-mirror", "")
    assert page.locator("img[src=x]").count() == 0 and page.title() != "pwned"
    assert probe.errors == [] and probe.network_requests == []


def test_1000_classes_keep_the_list_short(browser, tmp_path):
    run = load_run(write_run(tmp_path, n_classes=1000, n_items=20_000, n_iter=10))
    view = ConfusionMatrixView.from_run(run)
    assert len(view.overlapping_pairs) == 100  # petlens keeps cleanlab's 100 most overlapping
    probe = open_html(browser, tmp_path / "cm.html",
                      standalone_page("confusion.js", view.state(), title="cm"))
    page = probe.page
    buttons = page.locator(".petlens-overlap-list button")
    expect(buttons).to_have_count(10)
    expect(page.locator(".petlens-overlap-more")).to_have_text("90 more")
    buttons.nth(3).click()
    pair = view.overlapping_pairs[3]
    assert sorted(probe.model("selection")) == [pair["a"], pair["b"]]
    assert probe.errors == [] and probe.network_requests == []


def test_a_run_without_label_issues_says_why(browser, tmp_path):
    run = load_run(write_run(tmp_path, n_classes=1, n_items=30, n_iter=10, vocab=[EVIL]))
    probe = open_html(browser, tmp_path / "report.html", build_html(run)[0])
    page = probe.page
    reason = "label issues need at least two classes and one validation item"
    note = page.locator(".petlens-panel-per_class .petlens-pc-issues-note")
    expect(note).to_contain_text(reason)
    expect(page.locator(".petlens-panel-per_class .petlens-pc-classrow .petlens-pc-issues")
           ).to_have_text("—")
    expect(page.locator(".petlens-panel-confusion .petlens-overlap-summary")).to_have_text(
        re.compile(f"^Not available: {reason}"))
    assert page.locator("img[src=x]").count() == 0
    assert probe.errors == [] and probe.network_requests == []
