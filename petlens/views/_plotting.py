"""Lazy matplotlib access shared by the static ``plot(ax=None)`` methods."""

from __future__ import annotations


def axes(ax=None, *, figsize=(6, 5)):
    """``ax`` itself, or the axes of a new figure (matplotlib imported only here)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize)
    return ax


def figure_png(draw, *, figsize=(7, 5), dpi=80) -> bytes:
    """PNG bytes of a new figure that ``draw(fig)`` fills, without touching pyplot's
    global state."""
    from io import BytesIO

    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    draw(fig)
    buf = BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def png_bytes(view, *, figsize=(7, 5), dpi=80) -> bytes:
    """Render ``view.plot(ax)`` to PNG bytes."""
    return figure_png(lambda fig: view.plot(fig.add_subplot()), figsize=figsize, dpi=dpi)
