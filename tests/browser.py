"""Headless Chromium (Debian's package) driven by Playwright, for tests that need a browser."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SCATTER_MARGIN = 0.03  # js/src/lib/scatter-geometry.js MARGIN
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright):
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def screen_points(xy, side: float):
    """Where the embeddings view draws each of ``xy``'s points at zoom 1 (CSS px inside its
    canvas of ``side`` px)."""
    import numpy as np

    xy = np.asarray(xy, np.float64)
    lo, hi = xy.min(0), xy.max(0)
    k = (1 - 2 * SCATTER_MARGIN) / (hi - lo).max()
    centre = (lo + hi) / 2
    u = 0.5 + (xy[:, 0] - centre[0]) * k
    v = 0.5 - (xy[:, 1] - centre[1]) * k
    return np.stack([u, v], 1) * side


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


# A bundle with a model whose messages go to a Python widget and back, buffers included (what
# the Jupyter comm does): send -> window.kernel (the widget's own request handler) ->
# msg:custom with the answer's buffers (base64 on the way, DataViews in the page), and the
# widget's traits named in ``traits`` set on the page's model, as a comm update would.
KERNEL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"></head><body>
<div id="root"></div>
<script type="application/json" id="state">{state}</script>
<script type="application/json" id="bundle">{bundle}</script>
<script type="module">
const read = (id) => JSON.parse(document.getElementById(id).textContent);
const mod = await import(URL.createObjectURL(new Blob([read('bundle')],
                                                      {{ type: 'text/javascript' }})));
const model = mod.createModel(read('state'));
const handlers = new Set();
const {{ on, off }} = model;
const dataView = (b64) => new DataView(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer);
model.on = (e, cb) => (e === 'msg:custom' ? handlers.add(cb) : on(e, cb));
model.off = (e, cb) => (e === 'msg:custom' ? handlers.delete(cb) : off(e, cb));
model.send = async (content) => {{
  const {{ messages, traits }} = await window.kernel(content);
  for (const [name, value] of Object.entries(traits)) model.set(name, value);
  for (const {{ message, buffers }} of messages) {{
    for (const cb of [...handlers]) cb(message, buffers.map(dataView));
  }}
}};
window.petlensModel = model;
mod.default.render({{ model, el: document.getElementById('root') }});
document.body.dataset.petlensReady = 'true';
</script>
</body></html>
"""


def kernel_page(browser, path: Path, widget, state: dict, bundle: str, *,
                viewport=(1280, 720), traits=()):
    """``bundle`` showing ``state`` in Chromium (the page written at ``path``), its requests
    answered by ``widget``'s own handler; returns the page's probe and the requests asked."""
    from petlens.bundles import bundle_text
    from petlens.standalone import json_for_script
    from petlens.wire import encode_state

    asked = []

    def kernel(content):
        sent = []
        widget.send = lambda message, buffers=None: sent.append(
            {"message": message,
             "buffers": [base64.b64encode(bytes(b)).decode("ascii") for b in buffers or []]})
        asked.append(content)
        widget._on_message(widget, content, [])
        return {"messages": sent, "traits": {name: getattr(widget, name) for name in traits}}

    path.write_text(KERNEL_PAGE.format(state=json_for_script(encode_state(state, binary=False)),
                                       bundle=json_for_script(bundle_text(bundle))),
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.expose_function("kernel", kernel)
    probe = PageProbe(page)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-petlens-ready]", timeout=15_000)
    return probe, asked
