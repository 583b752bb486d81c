"""A self-contained HTML report of a run: one file, offline, interactive, safe.

>>> export_html(run, tmp / 'pets.html').name   # run = load_run('petlens-runs/...')
'pets.html'
"""

from __future__ import annotations

from pathlib import Path

from .errors import PetLensError
from .standalone import standalone_page
from .storage import atomic_write_bytes
from .views.dashboard import DashboardView

DEFAULT_MAX_MB = 5.0


def build_html(run, *, max_mb: float = DEFAULT_MAX_MB) -> tuple[str, list[str]]:
    """The report's HTML and the list of what was left out to stay under ``max_mb``."""
    view = DashboardView.from_run(run)
    page = _page(run, view)
    dropped: list[str] = []
    losses = view.views.get("top_losses")
    if losses is not None:
        total = n_thumbs = len(losses.thumbs)
        while _mb(page) > max_mb and n_thumbs > 0:
            n_thumbs //= 2
            page = _page(run, view.with_view("top_losses", losses.keep_thumbs(n_thumbs)))
        if n_thumbs < total:
            dropped.append(f"{total - n_thumbs} of {total} thumbnails (kept the top losses)")
    if _mb(page) > max_mb:
        raise PetLensError(f"report of {run.path.name} needs {_mb(page):.1f} MB even without "
                           f"thumbnails; raise the budget (max_mb={max_mb})")
    return page, dropped


def export_html(run, path=None, *, max_mb: float = DEFAULT_MAX_MB) -> Path:
    """Write the report of ``run`` to ``path`` (default ``<run folder>/report.html``)."""
    path = Path(path) if path is not None else run.path / "report.html"
    page, dropped = build_html(run, max_mb=max_mb)
    atomic_write_bytes(path, page.encode("utf-8"))
    for note in dropped:
        print(f"petlens: report over {max_mb} MB: left out {note}")
    return path


def _page(run, view: DashboardView) -> str:
    state = {**view.state(), "report": True}
    return standalone_page("dashboard.js", state, title=f"petlens report · {run.id}")


def _mb(text: str) -> float:
    return len(text.encode("utf-8")) / 1e6
