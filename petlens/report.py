"""A self-contained HTML report of a run: one file, offline, interactive, safe.

>>> export_html(run, tmp / 'pets.html').name   # run = load_run('petlens-runs/...')
'pets.html'
"""

from __future__ import annotations

from pathlib import Path

from . import registry
from .errors import PetLensError
from .run import load_run
from .standalone import standalone_page
from .storage import atomic_write_bytes
from .views.dashboard import DashboardView

DEFAULT_MAX_MB = 5.0


def build_html(run, *, max_mb: float = DEFAULT_MAX_MB) -> tuple[str, list[str]]:
    """The report's HTML and the list of what was left out to stay under ``max_mb``: the
    embeddings' neighbour thumbnails first, then detail images, then thumbnails, lowest
    losses first (halving what is kept each time, as long as that makes the page smaller: an
    image two panels show is in the page once), then the embeddings' neighbours and map."""
    view = DashboardView.from_run(run)
    page = _page(run, view)
    dropped: list[str] = []
    emb = view.views.get("embeddings")
    if emb is not None and emb.neighbour_thumbs:
        view, page = _shrink(run, view, page, max_mb, dropped, "embeddings",
                             "nearest-neighbour thumbnails", "neighbour_thumbs", "keep_thumbs")
    if "top_losses" in view.views:
        for what, images, keep in (("detail images", "details", "keep_details"),
                                   ("thumbnails", "thumbs", "keep_thumbs")):
            view, page = _shrink(run, view, page, max_mb, dropped, "top_losses", what, images,
                                 keep)
    for what in ("neighbours", "map"):  # last: the embeddings' neighbours, then their map
        emb = view.views.get("embeddings")
        if _mb(page) > max_mb and emb is not None and len(emb.xy):
            view = view.with_view("embeddings", emb.without(what))
            page = _page(run, view)
            dropped.append(f"the embeddings' {what}")
    if _mb(page) > max_mb:
        raise PetLensError(f"report of {run.path.name} needs {_mb(page):.1f} MB even without "
                           f"detail images and thumbnails; raise the budget (max_mb={max_mb})")
    return page, dropped


def _shrink(run, view, page, max_mb, dropped, key, what, images, keep):
    """Keep panel ``key``'s ``images`` of fewer top losses (``keep(n)``, halving ``n``) while
    the page is over ``max_mb`` and each step makes it smaller; says what was left out."""
    panel = view.views[key]
    total = n = len(getattr(panel, images))
    while _mb(page) > max_mb and n > 0:
        n //= 2
        smaller = _with_panel(view, key, getattr(panel, keep)(n))
        smaller_page = _page(run, smaller)
        if len(smaller_page) >= len(page):  # those images are in the page anyway
            break
        view, page = smaller, smaller_page
    left = total - len(getattr(view.views[key], images))
    if left:
        note = "kept those of the top losses" if key == "embeddings" else "kept the top losses"
        dropped.append(f"{left} of {total} {what} ({note})")
    return view, page


def _with_panel(view, key, panel):
    """``view`` with panel ``key`` showing ``panel``; the embeddings panel shows the
    validation thumbnails the top losses keep."""
    view = view.with_view(key, panel)
    emb = view.views.get("embeddings")
    if key == "top_losses" and emb is not None:
        from dataclasses import replace

        view = view.with_view("embeddings", replace(emb, thumbs={
            i: path for i, path in emb.thumbs.items() if i in panel.thumbs}))
    return view


def export_html(run, path=None, *, max_mb: float = DEFAULT_MAX_MB, wait: bool = True) -> Path:
    """Write the report of ``run`` to ``path`` (default ``<run folder>/report.html``).

    Saliency maps that this process is still computing are waited for (with their
    progress) unless ``wait=False``; a report written without some of them says so."""
    if wait and registry.wait_for_pending(run.path):
        run = load_run(run.path)  # with the maps that were pending
    path = Path(path) if path is not None else run.path / "report.html"
    page, dropped = build_html(run, max_mb=max_mb)
    atomic_write_bytes(path, page.encode("utf-8"))
    for note in dropped:
        print(f"petlens: report over {max_mb} MB: left out {note}")
    missing = saliency_missing(run)
    if missing:
        print(f"petlens: the report has {missing}")
    return path


def saliency_missing(run) -> str | None:
    """What a report of ``run`` lacks of its saliency maps (``None``: nothing).

    >>> saliency_missing(run) is None   # every map of the last fit computed
    True
    """
    info = run.saliency_info or {}
    status = info.get("status", "complete")
    if status == "complete":
        return None
    why = {"pending": "still being computed when the run was read",
           "cancelled": "cancelled by a later fit",
           "failed": "failed"}[status]
    return (f"{info.get('done', 0)} of {info.get('total', '?')} saliency maps of fit "
            f"{info['phase'] + 1}: the rest were {why}")


def _page(run, view: DashboardView) -> str:
    # the top losses' fix queue is kept in the page (and localStorage), exported as files
    state = {**view.state(), "report": True, "tl_fixes_mode": "page"}
    return standalone_page("dashboard.js", state, title=f"petlens report · {run.id}",
                           later=view.after_paint())


def _mb(text: str) -> float:
    return len(text.encode("utf-8")) / 1e6
