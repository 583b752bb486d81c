"""The thin anywidget base class shared by every petlens view."""

from __future__ import annotations

import base64
import secrets
from typing import ClassVar

import anywidget
import traitlets as t

from ..wire import encode_state


def picture_bundle(png: bytes, picture_id: str) -> dict:
    """A display bundle of a widget's static picture: an ``<img>`` that its live widget hides
    (``data-petlens-picture``: a random id, no string from the run) and the PNG itself.

    >>> sorted(picture_bundle(b"\\x89PNG", "ab12"))
    ['image/png', 'text/html', 'text/plain']
    """
    b64 = base64.b64encode(png).decode("ascii")
    html = (f'<img data-petlens-picture="{picture_id}" alt="petlens picture" '
            f'src="data:image/png;base64,{b64}" style="max-width:100%">')
    return {"text/html": html, "image/png": b64, "text/plain": "petlens picture"}


class PetLensWidget(anywidget.AnyWidget):
    """Traits hold displayed state; arrays travel as binary buffers; on-demand work uses
    request / response messages::

        front end -> {type: 'petlens:request', id, kind, ...}
        kernel    -> {type: 'petlens:response', id, ok: true, ...} + buffers
                     {type: 'petlens:response', id, ok: false, error: '...'}
    """

    _requests: ClassVar[dict[str, str]] = {}  # request kind -> method name
    # the static picture displayed after the widget, which the widget's script hides
    picture_id = t.Unicode(help="id of the widget's static picture output").tag(sync=True)

    def __init__(self, *, view=None, learn=None, **state):
        super().__init__(picture_id=secrets.token_hex(8), **state)
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

    # -- static picture ---------------------------------------------------------------
    def _ipython_display_(self):
        """The widget, then its static picture as a second output.

        A live front end renders the widget, whose script hides the picture (matched by
        ``picture_id``). Where no widget is drawn the picture is what a reader sees: GitHub,
        nbviewer, and the HTML of a notebook executed by nbclient or ``jupyter nbconvert
        --execute`` (nbconvert draws a stored widget only with a script from a CDN)."""
        from IPython.display import display

        data, metadata = self._repr_mimebundle_()
        display(data, metadata=metadata, raw=True)
        picture = self.picture()
        if picture is not None:
            display(picture, raw=True)

    def picture(self) -> dict | None:
        """The display bundle of the static picture (``None`` for a widget without one)."""
        png = self._fallback_png()
        return None if png is None else picture_bundle(png, self.picture_id)

    def _repr_mimebundle_(self, **kwargs):
        """The widget; its text is a short name (the picture is the next output)."""
        result = super()._repr_mimebundle_(**kwargs)
        data, metadata = result if isinstance(result, tuple) else (result, {})
        return {**data, "text/plain": f"petlens {type(self).__name__} (a Jupyter widget)"}, \
            metadata

    def _fallback_png(self) -> bytes | None:
        if self._view is None:
            return None
        from ..views._plotting import png_bytes

        return png_bytes(self._view)


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
