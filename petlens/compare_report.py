"""The comparison of two runs as one offline HTML file, with the report's standards: the
``compare.js`` bundle and the comparison inlined, a strict Content-Security-Policy (no
network request), run strings as data only, and the report's size budget.

>>> export_compare_html(run, run, tmp / 'diff.html').name   # runs, folders or names
'diff.html'
"""

from __future__ import annotations

from pathlib import Path

from .compare import compare
from .errors import PetLensError
from .report import DEFAULT_MAX_MB
from .standalone import standalone_page
from .storage import atomic_write_bytes
from .views.compare_view import CompareView

BUNDLE = "compare.js"


def build_compare_html(view: CompareView, *,
                       max_mb: float = DEFAULT_MAX_MB) -> tuple[str, list[str]]:
    """The page of ``view`` and what was left out to stay under ``max_mb``: saliency maps
    first, then thumbnails, of the lowest-loss items first (halving what is kept each
    time)."""
    page = _page(view)
    dropped = []
    for what, having, keep in (("saliency maps", lambda v: {s["index"] for s in v.saliency},
                                "keep_saliency"),
                               ("thumbnails", lambda v: set(v.thumbs), "keep_thumbs")):
        total = n = len(having(view))
        while _mb(page) > max_mb and n > 0:
            n //= 2
            view = getattr(view, keep)(n)
            page = _page(view)
        if n < total:
            dropped.append(f"{what} of {total - n} of {total} items (kept the largest losses)")
    if _mb(page) > max_mb:
        raise PetLensError(f"the comparison page needs {_mb(page):.1f} MB even without "
                           f"thumbnails and saliency maps; raise the budget (max_mb={max_mb})")
    return page, dropped


def export_compare_html(run_a, run_b, path, *, max_mb: float = DEFAULT_MAX_MB) -> Path:
    """Compare ``run_b`` against ``run_a`` (runs, folders or names) and write the page to
    ``path``; returns the path. What the budget left out is printed."""
    return write_compare_html(compare(run_a, run_b), path, max_mb=max_mb)


def write_compare_html(cmp, path, *, max_mb: float = DEFAULT_MAX_MB) -> Path:
    """Write the page of a :class:`petlens.compare.Comparison` to ``path``; returns it."""
    page, dropped = build_compare_html(CompareView.from_comparison(cmp), max_mb=max_mb)
    path = Path(path)
    atomic_write_bytes(path, page.encode("utf-8"))
    for note in dropped:
        print(f"petlens: comparison over {max_mb} MB: left out {note}")
    return path


def _page(view: CompareView) -> str:
    a, b = (run["id"] for run in view.comparison.runs())
    return standalone_page(BUNDLE, view.state(), title=f"petlens compare · {a} → {b}")


def _mb(text: str) -> float:
    return len(text.encode("utf-8")) / 1e6
