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
    embeddings' nearest-neighbour thumbnails first, then detail images, then thumbnails,
    lowest losses first (halving what is kept each time)."""
    view = DashboardView.from_run(run)
    page = _page(run, view)
    dropped: list[str] = []
    view, page = _drop_neighbour_thumbs(run, view, page, max_mb, dropped)
    losses = view.views.get("top_losses")
    if losses is not None:
        for what, images, keep in (("detail images", "details", "keep_details"),
                                   ("thumbnails", "thumbs", "keep_thumbs")):
            total = n = len(getattr(losses, images))
            while _mb(page) > max_mb and n > 0:
                n //= 2
                kept = getattr(losses, keep)(n)
                page = _page(run, _with_losses(view, kept))
            losses = kept if n < total else losses
            if n < total:
                dropped.append(f"{total - n} of {total} {what} (kept the top losses)")
    if _mb(page) > max_mb:
        raise PetLensError(f"report of {run.path.name} needs {_mb(page):.1f} MB even without "
                           f"detail images and thumbnails; raise the budget (max_mb={max_mb})")
    return page, dropped


def _drop_neighbour_thumbs(run, view, page, max_mb, dropped):
    """Keep the embeddings' neighbour thumbnails of fewer top losses until the page fits."""
    emb = view.views.get("embeddings")
    total = len(emb.neighbour_thumbs) if emb is not None else 0
    n = len(emb.losses) if total else 0
    while _mb(page) > max_mb and n > 0:
        n //= 2
        view = view.with_view("embeddings", emb.keep_thumbs(n))
        page = _page(run, view)
    if total and len(view.views["embeddings"].neighbour_thumbs) < total:
        left = total - len(view.views["embeddings"].neighbour_thumbs)
        dropped.append(f"{left} of {total} nearest-neighbour thumbnails (kept those of the "
                       "top losses)")
    return view, page


def _with_losses(view, losses):
    """``view`` with top-loss panel ``losses``; the embeddings panel shows the same
    validation thumbnails."""
    view = view.with_view("top_losses", losses)
    emb = view.views.get("embeddings")
    if emb is not None:
        from dataclasses import replace

        view = view.with_view("embeddings", replace(emb, thumbs={
            i: path for i, path in emb.thumbs.items() if i in losses.thumbs}))
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
    return standalone_page("dashboard.js", state, title=f"petlens report · {run.id}")


def _mb(text: str) -> float:
    return len(text.encode("utf-8")) / 1e6
