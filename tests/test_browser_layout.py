"""The dashboard's layout, in the offline report of a 37-class run in Chromium: the panels
follow each other without holes at laptop, desktop and narrow sizes, each is one click away
in the navigation bar, the header stays compact under a host page's CSS (Jupyter's rules on
bare elements), and the colours follow the reader's dark or light scheme."""

from __future__ import annotations

from itertools import pairwise

import pytest
from browser import PageProbe
from playwright.sync_api import expect

from petlens import load_run
from petlens.demo.scale_run import write_run
from petlens.report import build_html
from petlens.views.dashboard import PANELS

SIZES = [(1280, 720), (1400, 1000), (800, 900)]
MAX_GAP_PX = 40
# What a host page may do to bare elements around a widget (Notebook 7's rendered-HTML rules
# and worse): none of it may reach the dashboard's frame.
HOSTILE_CSS = """
dl, dt, dd { display: block; width: 100%; float: left; clear: both; margin: 0 0 12px;
             padding: 4px; font-size: 18px; border: 1px solid red; }
.jp-RenderedHTMLCommon dt { font-weight: bold; display: block; }
.jp-RenderedHTMLCommon dd { margin-left: 40px; display: block; }
h2, h3, .jp-RenderedHTMLCommon h2 { display: block; font-size: 34px; margin: 1em 0; padding: 8px;
                                     line-height: 2; }
header, nav, section { display: block; margin: 24px 0; padding: 24px; }
button { display: block; width: 100%; font-size: 20px; padding: 12px; }
span { display: block; }
"""
BOXES = """() => {
  const box = (e) => { const r = e.getBoundingClientRect();
                       return {x: r.x, top: r.top, bottom: r.bottom, width: r.width}; };
  const q = (s) => document.querySelector(s);
  return {
    dashboard: box(q('.petlens-dashboard')), header: box(q('.petlens-dash-header')),
    nav: box(q('.petlens-dash-nav')),
    panels: [...document.querySelectorAll('.petlens-dash-grid > .petlens-panel')]
      .map((e) => ({key: e.dataset.panel, ...box(e)})),
    pageWidth: document.documentElement.scrollWidth,
  };
}"""


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("layout")
    run = load_run(write_run(root / "runs", n_classes=37, n_items=1480))
    html, dropped = build_html(run)
    assert dropped == []
    path = root / "report.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture
def open_report(browser, report):
    pages = []

    def open_(width: int, height: int, *, scheme: str = "light") -> PageProbe:
        page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
        pages.append(page)
        probe = PageProbe(page)
        page.goto(report.as_uri())
        page.wait_for_selector("body[data-petlens-painted]", timeout=30_000)
        return probe

    yield open_
    for page in pages:
        page.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_panels_follow_each_other_full_width_without_holes(open_report, width, height):
    probe = open_report(width, height)
    layout = probe.page.evaluate(BOXES)
    panels = layout["panels"]
    assert [p["key"] for p in panels] == [p.key for p in PANELS]
    dashboard = layout["dashboard"]
    for panel in panels:  # one per row, as wide as the dashboard (the matrix sizes from it)
        assert panel["x"] == pytest.approx(dashboard["x"], abs=1), panel["key"]
        assert panel["width"] == pytest.approx(dashboard["width"], abs=1), panel["key"]
    above = [layout["header"], layout["nav"], *panels]
    for first, second in pairwise(above):
        assert 0 <= second["top"] - first["bottom"] <= MAX_GAP_PX, (first, second)
    assert layout["pageWidth"] <= width, "nothing sticks out sideways"
    assert probe.errors == [] and probe.network_requests == []


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_panel_is_one_click_away_in_the_navigation_bar(open_report, width, height):
    page = open_report(width, height).page
    links = page.locator(".petlens-dash-nav button")
    assert links.all_inner_texts() == [p.heading for p in PANELS]
    for i in [*range(len(PANELS)), 0]:  # down one by one, then back to the first
        links.nth(i).click()
        layout = page.evaluate(BOXES)
        nav, panel = layout["nav"], layout["panels"][i]
        assert 0 <= nav["top"] <= 4, "the bar stays at the top"
        at_bottom = page.evaluate(
            "() => Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight")
        if at_bottom:  # the last panels cannot rise further: they are in full view
            assert nav["bottom"] - 1 <= panel["top"] and panel["bottom"] <= height
        else:
            assert panel["top"] == pytest.approx(nav["bottom"] + 10, abs=12), PANELS[i].key
        current = page.locator('.petlens-dash-nav button[aria-current="true"]')
        expect(current).to_have_text([PANELS[i].heading])  # marked at the next frame


def test_header_stays_compact_under_a_hostile_host_page(open_report):
    page = open_report(1280, 720).page
    before = page.evaluate(BOXES)
    page.evaluate("() => document.body.classList.add('jp-RenderedHTMLCommon')")
    page.add_style_tag(content=HOSTILE_CSS)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
    after = page.evaluate(BOXES)
    height = after["header"]["bottom"] - after["header"]["top"]
    assert height < 80, f"header {height:.0f} px tall"
    assert height == pytest.approx(before["header"]["bottom"] - before["header"]["top"], abs=1)
    assert after["nav"]["bottom"] - after["nav"]["top"] < 45, "the bar keeps one row of links"
    for first, second in pairwise(after["panels"]):
        assert 0 <= second["top"] - first["bottom"] <= MAX_GAP_PX
    sizes = page.evaluate("""() => ['.petlens-dash-h2', '.petlens-panel-head h3',
        '.petlens-summary dd'].map((s) => getComputedStyle(document.querySelector(s)).fontSize)""")
    assert sizes == ["15.6px", "14.3px", "13px"]


def luminance(css_color: str) -> float:
    """Relative luminance (0 black .. 1 white) of an ``rgb()`` / ``rgba()`` colour."""
    parts = css_color[css_color.index("(") + 1 : css_color.index(")")].split(",")
    r, g, b = (float(v) / 255 for v in parts[:3])

    def linear(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


COLOURS = """() => {
  const style = (s) => getComputedStyle(document.querySelector(s));
  return {
    page: style('body').backgroundColor, panel: style('.petlens-panel').backgroundColor,
    header: style('.petlens-dash-header').backgroundColor,
    title: style('.petlens-dash-h2').color, muted: style('.petlens-summary dt').color,
    views: [...document.querySelectorAll('.petlens-panel-body > .petlens')]
      .map((e) => getComputedStyle(e).color),
  };
}"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_colours_follow_the_readers_scheme_and_print_is_light(open_report, scheme):
    probe = open_report(1280, 720, scheme=scheme)
    colours = probe.page.evaluate(COLOURS)
    backgrounds = [luminance(colours[k]) for k in ("page", "panel", "header")]
    texts = [luminance(c) for c in (colours["title"], colours["muted"], *colours["views"])]
    assert len(colours["views"]) == len(PANELS)
    if scheme == "dark":
        assert max(backgrounds) < 0.05 and min(texts) > 0.3
    else:
        assert min(backgrounds) > 0.85 and max(texts) < 0.15
    for text in texts:  # WCAG contrast of every text colour on the panel background
        light, dark = max(text, backgrounds[1]), min(text, backgrounds[1])
        assert (light + 0.05) / (dark + 0.05) > 4.5
    probe.page.emulate_media(media="print")
    printed = probe.page.evaluate(COLOURS)
    assert luminance(printed["page"]) > 0.85 and luminance(printed["title"]) < 0.15
    assert probe.errors == []
