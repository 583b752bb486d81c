"""The built front-end bundles (``js/`` -> ``petlens/static/<name>.js``), shared by the
widgets (anywidget's ``_esm``) and the offline report (inlined)."""

from __future__ import annotations

from pathlib import Path

from .errors import PetLensError

STATIC = Path(__file__).resolve().parent / "static"
_MISSING = ("the front-end bundle {name} is missing: reinstall petlens with Node.js and npm "
            "on PATH (pip install -e .) or run 'npm run build' in js/")
_MISSING_MODULE = "export default {{ render({{ el }}) {{ el.textContent = {message}; }} }};\n"


def bundle(name: str):
    """The path of bundle ``name`` for a widget's ``_esm``, or a module that explains it is
    missing (shown in place of the widget)."""
    path = STATIC / name
    if path.is_file():
        return path
    import json

    return _MISSING_MODULE.format(message=json.dumps("petlens: " + _MISSING.format(name=name)))


def bundle_text(name: str) -> str:
    """The source of bundle ``name``, for inlining; :class:`PetLensError` if it is missing."""
    path = STATIC / name
    if not path.is_file():
        raise PetLensError(_MISSING.format(name=name))
    return path.read_text(encoding="utf-8")
