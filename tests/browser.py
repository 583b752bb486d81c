"""Headless Chromium (Debian's package) driven by Playwright, for tests that need a browser."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright):
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


class PageProbe:
    """A page plus everything it did that a test wants to assert on."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    @property
    def network_requests(self) -> list[str]:
        """Requests other than the page file itself and its in-memory blob: / data: URLs."""
        return [u for u in self.requests[1:] if not u.startswith(("blob:", "data:"))]

    def painted_pixels(self, selector: str) -> int:
        """Number of non-transparent pixels painted on the canvas matched by ``selector``."""
        return self.page.eval_on_selector(selector, """(canvas) => {
            const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width,
                                                                   canvas.height);
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
            return n;
        }""")

    def model(self, name: str):
        return self.page.evaluate("(name) => window.petlensModel.get(name)", name)

    def wait_until(self, script: str, arg=None, timeout_s: float = 15):
        """Evaluate ``script`` (a function of ``arg``) until it is truthy. Unlike Playwright's
        ``wait_for_function``, whose polling evaluates text in the page, this works under the
        offline pages' Content-Security-Policy (no 'unsafe-eval')."""
        deadline = time.monotonic() + timeout_s
        while not (value := self.page.evaluate(script, arg)):
            assert time.monotonic() < deadline, f"not true within {timeout_s} s: {script}"
            self.page.wait_for_timeout(50)
        return value


def open_html(browser, path: Path, html: str) -> PageProbe:
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    probe = PageProbe(page)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-petlens-ready]", timeout=15_000)
    return probe
