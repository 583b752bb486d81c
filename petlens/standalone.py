"""One self-contained HTML page that renders a widget bundle from inlined state, offline.

The page imports the very bundle the Jupyter widget uses (from a ``blob:`` URL) and feeds
its ``render`` a static model (``createModel``, exported by every bundle) built from
inlined JSON. A strict Content-Security-Policy forbids every network request; strings
from the run only ever reach the page as JSON data, which the views render as text.
"""

from __future__ import annotations

import base64
import html
import json
import secrets

from .bundles import bundle_text
from .storage import json_safe
from .wire import encode_state

CSP = ("default-src 'none'; script-src 'nonce-{nonce}' blob:; style-src 'unsafe-inline'; "
       "img-src blob: data:; font-src 'none'; connect-src 'none'; form-action 'none'; "
       "base-uri 'none'; frame-src 'none'; object-src 'none'")

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
:root {{ color-scheme: light dark; }}
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 16px;
       color: #1f2328; background: #fff; }}
#petlens-error {{ color: #b00020; white-space: pre-wrap; }}
@media screen and (prefers-color-scheme: dark) {{
  body {{ color: #e6edf3; background: #0d1117; }}
  #petlens-error {{ color: #ff7b72; }}
}}
@media print {{
  :root {{ color-scheme: light; }}
  body {{ margin: 0; color: #000; background: #fff; }}
  .petlens-dash-grid {{ display: block !important; }}
  .petlens-panel {{ break-inside: avoid; margin-bottom: 12px; }}
  button, select, input, .petlens-tl-controls, .petlens-losses-toolbar {{
    display: none !important; }}
}}
</style>
</head>
<body>
<div id="petlens-root"></div>
<div id="petlens-error"></div>
<script type="application/json" id="petlens-state">{state}</script>
<script type="application/json" id="petlens-shared">{shared}</script>
<script type="application/json" id="petlens-bundle">{bundle}</script>
<script nonce="{nonce}">
// A classic script (a module one would wait for the whole page to be parsed): it renders
// from the state above while the parser goes on with the traits set after the first paint.
(() => {{
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const shared = read('petlens-shared');  // each thumbnail once, however many traits show it
  const expand = (v) => (!shared.length ? v : Array.isArray(v) ? v.map(expand)
    : v === null || typeof v !== 'object' ? v
    : typeof v.$shared === 'number' ? shared[v.$shared]
    : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expand(x)])));
  const fail = (error) => {{
    document.getElementById('petlens-error').textContent = 'petlens: ' + error;
    throw error;
  }};
  const bundle = new Blob([read('petlens-bundle')], {{ type: 'text/javascript' }});
  import(URL.createObjectURL(bundle)).then((mod) => {{
    const model = mod.createModel(expand(read('petlens-state')));
    window.petlensModel = model;
    mod.default.render({{ model, el: document.getElementById('petlens-root') }});
    document.body.dataset.petlensReady = 'true';
    const painted = new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {{
      performance.mark('petlens-painted');  // first frames drawn: the page is interactive
      done();
    }})));
    const parsed = new Promise((done) => (document.readyState === 'loading'
      ? document.addEventListener('DOMContentLoaded', done, {{ once: true }}) : done()));
    Promise.all([parsed, painted]).then(() => {{  // after the first paint, not before it
      const later = expand(read('petlens-later'));
      for (const [name, value] of Object.entries(later)) model.set(name, value);
      requestAnimationFrame(() => {{ document.body.dataset.petlensPainted = 'true'; }});
    }}).catch(fail);  // data-petlens-painted: drawn with all of its state
  }}).catch(fail);
}})();
</script>
<script type="application/json" id="petlens-later">{later}</script>
</body>
</html>
"""


def json_for_script(value) -> str:
    """JSON that is safe inside ``<script type="application/json">`` (no ``</script>``)."""
    text = json.dumps(json_safe(value), ensure_ascii=False, allow_nan=False,
                      separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def standalone_page(bundle_name: str, state: dict, *, title: str, later=()) -> str:
    """An offline HTML page rendering ``petlens/static/<bundle_name>`` with ``state``.

    ``state`` holds the widget's trait values; numpy arrays and bytes are inlined as base64,
    mostly-zero arrays (a 1000-class confusion matrix) in the sparse form of the wire format
    (``{dtype, shape, sparse: {indices, values}}``, js/README.md), each distinct ``bytes``
    value (a thumbnail two panels show) once. The traits named in ``later`` (large, read only
    on demand: the embeddings' neighbours) come after the script and are set once the page is
    parsed, so the first paint does not wait for them. The bundle is inlined as JSON text.
    ``<body data-petlens-painted>`` says the page is drawn with all of its state.
    """
    nonce = secrets.token_urlsafe(16)
    shared: dict[bytes, int] = {}
    first = {key: value for key, value in state.items() if key not in later}
    rest = {key: state[key] for key in later if key in state}
    return _PAGE.format(
        csp=CSP.format(nonce=nonce), nonce=nonce, title=html.escape(title),
        state=json_for_script(encode_state(_share_bytes(first, shared), binary=False)),
        later=json_for_script(encode_state(_share_bytes(rest, shared), binary=False)),
        shared=json_for_script([base64.b64encode(blob).decode("ascii") for blob in shared]),
        bundle=json_for_script(bundle_text(bundle_name)),
    )


def _share_bytes(value, shared: dict[bytes, int]):
    """``value`` with each ``bytes`` inside replaced by ``{"$shared": i}``, its index in
    ``shared`` (insertion-ordered: equal bytes get one index)."""
    if isinstance(value, bytes):
        return {"$shared": shared.setdefault(value, len(shared))}
    if isinstance(value, dict):
        return {key: _share_bytes(item, shared) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_share_bytes(item, shared) for item in value]
    return value
