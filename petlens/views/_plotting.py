"""Lazy matplotlib access and the shared sizes of the static ``plot(ax=None)`` pictures.

The pictures are what readers without a kernel see (GitHub, nbviewer, an executed notebook),
so they are sized for a notebook's output column: ``WIDTH`` inches at ``DPI`` is 900 pixels,
and no text is smaller than ``FONT_FLOOR`` points (12.5 pixels).
"""

from __future__ import annotations

import numpy as np

DPI = 100
WIDTH = 9.0  # inches: 900 px at DPI, the width of a notebook's output column
FONT_FLOOR = 9.0  # points: the smallest text any picture draws
FONT = 10.0  # points: labels and legends
TITLE = 11.0  # points: axes titles


def axes(ax=None, *, figsize=(WIDTH, 5)):
    """``ax`` itself, or the axes of a new (constrained-layout) figure; matplotlib is
    imported only here."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=figsize, dpi=DPI, layout="constrained")
    return ax


def style(ax, title: str, *, xlabel: str | None = None, ylabel: str | None = None,
          pad: float = 6.0) -> None:
    """Title (``pad`` points above the axes), axis labels and tick labels at the shared
    sizes."""
    ax.set_title(title, fontsize=TITLE, pad=pad)
    if xlabel is not None:
        ax.set_xlabel(xlabel, fontsize=FONT)
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=FONT)
    ax.tick_params(labelsize=FONT_FLOOR)


def block_max(values: np.ma.MaskedArray, most: int = 250) -> tuple[np.ma.MaskedArray, int]:
    """``values`` shrunk to at most ``most`` rows and columns by taking the largest value of
    each block (so no confusion vanishes when a big matrix is drawn), and the block size.

    >>> shown, block = block_max(np.ma.masked_array(np.eye(600)))
    >>> shown.shape, block, float(shown.sum())
    ((200, 200), 3, 200.0)
    """
    n = len(values)
    block = -(-n // most)
    if block == 1:
        return values, 1
    size = -(-n // block) * block
    padded = np.ma.masked_all((size, size), dtype=float)
    padded[:n, :n] = values
    return padded.reshape(size // block, block, size // block, block).max(axis=(1, 3)), block


def figsize(view) -> tuple[float, float]:
    """The size ``view`` asks for (its ``figsize()``), else a width-filling default."""
    size = getattr(view, "figsize", None)
    return tuple(size()) if callable(size) else (WIDTH, 5.0)


def figure_png(draw, *, figsize=(WIDTH, 5), dpi=DPI) -> bytes:
    """PNG bytes of a new figure that ``draw(fig)`` fills, without touching pyplot's
    global state."""
    from io import BytesIO

    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    draw(fig)
    buf = BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def png_bytes(view, *, dpi=DPI) -> bytes:
    """Render ``view.plot(ax)`` at the view's own size to PNG bytes."""
    return figure_png(lambda fig: view.plot(fig.add_subplot()), figsize=figsize(view),
                      dpi=dpi)
