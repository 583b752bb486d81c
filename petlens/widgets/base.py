"""The thin anywidget base class shared by every petlens view."""

from __future__ import annotations

import base64
from typing import ClassVar

import anywidget
import traitlets as t

from ..wire import encode_state


class PetLensWidget(anywidget.AnyWidget):
    """Traits hold displayed state; arrays travel as binary buffers; on-demand work uses
    request / response messages::

        front end -> {type: 'petlens:request', id, kind, ...}
        kernel    -> {type: 'petlens:response', id, ok: true, ...} + buffers
                     {type: 'petlens:response', id, ok: false, error: '...'}
    """

    _requests: ClassVar[dict[str, str]] = {}  # request kind -> method name

    def __init__(self, *, view=None, learn=None, **state):
        super().__init__(**state)
        self._view, self._learn = view, learn
        self.on_msg(self._on_message)

    @classmethod
    def from_view(cls, view, *, learn=None, **overrides):
        """A widget showing ``view`` (a petlens view object); ``learn`` makes it live."""
        state = {**view.state(), **overrides}
        if "live" in cls.class_trait_names():
            state["live"] = learn is not None
        return cls(view=view, learn=learn, **encode_state(state))

    # -- request / response --------------------------------------------------------------
    def _on_message(self, _widget, content, _buffers):
        if not isinstance(content, dict) or content.get("type") != "petlens:request":
            return
        reply = {"type": "petlens:response", "id": content.get("id")}
        if "view" in content:
            reply["view"] = content["view"]
        handler = self._requests.get(content.get("kind"))
        if handler is None:
            self.send({**reply, "ok": False,
                       "error": f"unknown request kind {content.get('kind')!r}"})
            return
        try:
            answer, buffers = getattr(self, handler)(content)
        except Exception as e:  # the error branch of the protocol: report, never crash
            self.send({**reply, "ok": False, "error": f"{type(e).__name__}: {e}"})
            return
        self.send({**reply, "ok": True, **answer}, buffers)

    # -- static fallback -----------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        """The widget, plus a PNG of the static picture for renderers without a kernel
        (GitHub, nbviewer, a notebook opened without running it)."""
        result = super()._repr_mimebundle_(**kwargs)
        data, metadata = result if isinstance(result, tuple) else (result, {})
        png = self._fallback_png()
        if png is not None:
            data = {**data, "image/png": base64.b64encode(png).decode("ascii")}
        return data, metadata

    def _ipython_display_(self):
        """The widget; and, in a kernel no widget front end has connected to (a notebook
        executed by nbclient or ``jupyter nbconvert --execute``), its static picture as a
        second output: nbconvert's HTML draws a widget whose state was stored only with a
        script from a CDN, so offline the picture is what a reader sees. JupyterLab and
        Notebook 7 open ipywidgets' control comm when they connect: there, only the widget."""
        from IPython.display import Image, display

        data, metadata = self._repr_mimebundle_()
        if widget_front_end_connected():
            display(data, metadata=metadata, raw=True)
            return
        png = data.pop("image/png", None)  # shown once, below, whatever the export keeps
        data["text/plain"] = f"petlens {type(self).__name__} (a Jupyter widget)"
        display(data, metadata=metadata, raw=True)
        if png is not None:
            display(Image(base64.b64decode(png)))

    def _fallback_png(self) -> bytes | None:
        if self._view is None:
            return None
        from ..views._plotting import png_bytes

        return png_bytes(self._view)


def widget_front_end_connected() -> bool:
    """Whether a Jupyter widget front end (JupyterLab, Notebook 7) has connected to this
    kernel: ipywidgets' control comm, which they open to load the widgets' state."""
    from ipywidgets import Widget

    return getattr(Widget, "_control_comm", None) is not None


def traits(spec: dict, prefix: str = "") -> dict:
    """Fresh synced traits from a ``{name: factory}`` spec, names optionally prefixed."""
    return {prefix + name: make().tag(sync=True) for name, make in spec.items()}


def with_traits(*specs: dict, prefixes: tuple[str, ...] = ()) -> type:
    """A :class:`PetLensWidget` base class carrying the traits of ``specs``.

    >>> class Counter(with_traits({"count": lambda: t.Int(0)})):
    ...     _esm = "export default { render({ model, el }) {} };"
    >>> Counter(count=3).count
    3
    """
    namespace = {}
    for spec, prefix in zip(specs, prefixes or ("",) * len(specs), strict=True):
        namespace.update(traits(spec, prefix))
    return type("PetLensTraits", (PetLensWidget,), namespace)


def optional_int():
    return t.Int(None, allow_none=True)


def selection_trait():
    return t.List(t.Int(), default_value=None, allow_none=True, minlen=2, maxlen=2)
