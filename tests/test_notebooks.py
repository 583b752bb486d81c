"""The example notebooks: the quickstart runs headless (nbclient + ipykernel) and leaves a run,
a dashboard and a report; the GPU notebook, which cannot run here, is checked statically
against petlens' API."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import typing
from dataclasses import dataclass, fields, is_dataclass
from functools import cached_property
from pathlib import Path

import nbformat
import pytest

from petlens import PetLens, load_run

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NOTEBOOKS = ["quickstart.ipynb", "pets_chapter5.ipynb"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def read_notebook(name: str):
    return nbformat.read(EXAMPLES / name, as_version=4)


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def without_magics(source: str) -> str:
    """The cell's Python: IPython's ``%`` / ``!`` lines blanked (line numbers kept)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


# -- static check: follow petlens objects through the notebook's code -------------------------

@dataclass(frozen=True)
class Ref:
    """A petlens module, class or function, or (``instance``) an instance of class ``obj``;
    ``owner`` is the class of a classmethod (called, it gives an instance of ``owner``)."""

    obj: object
    instance: bool = False
    owner: type | None = None


def _petlens_class(annotation) -> type | None:
    """The petlens class an annotation names (``X`` or ``X | None``), if any."""
    classes = [a for a in typing.get_args(annotation) if a is not type(None)] or [annotation]
    cls = classes[0] if len(classes) == 1 else None
    return cls if inspect.isclass(cls) and cls.__module__.startswith("petlens") else None


def _returns(function, owner: type | None) -> Ref | None:
    """What calling ``function`` gives when that is a petlens object: the petlens class its
    return annotation names; without one, an instance of ``owner`` (classmethods)."""
    annotation = typing.get_type_hints(function).get("return")
    cls = owner if annotation is None else _petlens_class(annotation)
    return None if cls is None else Ref(cls, instance=True)


def _instance_attributes(cls: type) -> set[str]:
    """Attributes instances get without the class having them: dataclass fields, and
    ``self.x = ...`` in ``__init__``."""
    names = {f.name for f in fields(cls)} if is_dataclass(cls) else set()
    init = cls.__dict__.get("__init__")
    return names | set(getattr(getattr(init, "__code__", None), "co_names", ()))


class PetlensUses(ast.NodeVisitor):
    """Records every petlens name a notebook imports or uses that does not exist: imports
    from petlens, attributes and keyword arguments of petlens objects, followed through
    assignments (``run = learn.pet_lens.run``), calls and return annotations."""

    def __init__(self):
        self.known: dict[str, Ref] = {}
        self.missing: set[str] = set()
        self.callback_attr = PetLens().name  # fastai's learn.<name> for the callback

    def visit_Import(self, node):
        for alias in node.names:
            if alias.name.split(".")[0] == "petlens":
                try:
                    module = importlib.import_module(alias.name)
                except ImportError:
                    self.missing.add(alias.name)
                    continue
                bound = module if alias.asname else sys.modules["petlens"]
                self.known[alias.asname or "petlens"] = Ref(bound)

    def visit_ImportFrom(self, node):
        if not (node.module or "").startswith("petlens"):
            return
        module = importlib.import_module(node.module)
        for alias in node.names:
            if hasattr(module, alias.name):
                self.known[alias.asname or alias.name] = Ref(getattr(module, alias.name))
            else:
                self.missing.add(f"{node.module}.{alias.name}")

    def visit_Assign(self, node):
        self.generic_visit(node)
        ref = self.resolve(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if ref is None:
                    self.known.pop(target.id, None)
                else:
                    self.known[target.id] = ref

    def visit_Attribute(self, node):
        self.resolve(node)
        self.generic_visit(node)

    def visit_Call(self, node):
        self.resolve(node)
        self.generic_visit(node)

    def resolve(self, node) -> Ref | None:
        """The petlens object ``node`` evaluates to (``None``: not petlens, or unknown)."""
        if isinstance(node, ast.Name):
            return self.known.get(node.id)
        if isinstance(node, ast.Attribute):
            if node.attr == self.callback_attr:
                return Ref(PetLens, instance=True)
            base = self.resolve(node.value)
            return None if base is None else self.attribute(base, node.attr)
        if isinstance(node, ast.Call):
            function = self.resolve(node.func)
            return None if function is None else self.call(function, node)
        return None

    def attribute(self, base: Ref, name: str) -> Ref | None:
        obj = base.obj
        where = f"{getattr(obj, '__name__', obj)}.{name}"
        if inspect.ismodule(obj):  # hasattr: petlens.PetLens comes from a module __getattr__
            if not hasattr(obj, name):
                self.missing.add(where)
                return None
            return Ref(getattr(obj, name))
        static = inspect.getattr_static(obj, name, None)
        if static is None:
            if not (base.instance and name in _instance_attributes(obj)):
                self.missing.add(where)
            return None
        if isinstance(static, (property, cached_property)):
            getter = static.fget if isinstance(static, property) else static.func
            return _returns(getter, None) if base.instance else None
        if isinstance(static, classmethod):
            return Ref(static.__func__, owner=obj)
        if isinstance(static, staticmethod):
            return Ref(static.__func__)
        return Ref(static) if inspect.isfunction(static) else None

    def call(self, function: Ref, node: ast.Call) -> Ref | None:
        """Checks the keyword arguments of a call; returns what the call gives."""
        target = function.obj
        if function.instance or not callable(target):
            return None
        parameters = inspect.signature(target).parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
        for keyword in node.keywords:
            if keyword.arg and not takes_any and keyword.arg not in parameters:
                self.missing.add(f"{target.__qualname__}({keyword.arg}=...)")
        if inspect.isclass(target):
            return Ref(target, instance=True)
        return _returns(target, function.owner)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean_and_uses_only_existing_petlens_names(name):
    nb = read_notebook(name)
    nbformat.validate(nb)
    cells = code_cells(nb)
    assert all(not c.outputs and c.execution_count is None for c in cells), "clear the outputs"
    sources = [c.source for c in cells]
    assert sources[0].startswith("%load_ext petlens")
    assert any(re.match(r"%petlens report \S+\.html$", s) for s in sources)
    uses = PetlensUses()
    for index, source in enumerate(sources):
        python = without_magics(source)
        compile(python, f"{name} code cell {index}", "exec")
        uses.visit(ast.parse(python))
    assert uses.missing == set()
    assert {"PetLens", "run"} <= set(uses.known)  # the checker followed them


def test_checker_catches_missing_names():
    uses = PetlensUses()
    uses.visit(ast.parse("import petlens.views as views, petlens.nope\n"
                         "from petlens import PetLens, Nope, load_run\n"
                         "run = learn.pet_lens.run\n"
                         "run.most_confused(min_val=5), run.most_confused(minimum=5)\n"
                         "run.timeline.lrs, run.timeline.lrz\n"
                         "views.LrFindView.from_run(load_run('x')).plott()\n"
                         "learn.pet_lens.show(), learn.pet_lens.shows()\n"))
    assert uses.missing == {"petlens.nope", "petlens.Nope", "Run.most_confused(minimum=...)",
                            "Timeline.lrz", "LrFindView.plott", "PetLens.shows"}


# -- the quickstart, executed --------------------------------------------------------------

def outputs_of(nb, source: str) -> list:
    (cell,) = [c for c in code_cells(nb) if c.source == source]
    return cell.outputs


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory):
    """The quickstart executed by nbclient in the venv's ipykernel, in a temporary working
    folder (its data, run and report land there). Returns ``(notebook, folder)``."""
    from nbclient import NotebookClient

    folder = tmp_path_factory.mktemp("quickstart")
    nb = read_notebook("quickstart.ipynb")
    # Which Python the kernel runs: 'python' in the kernelspec resolves to sys.executable.
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable, end='')"))
    client = NotebookClient(nb, kernel_name="python3", timeout=600,
                            resources={"metadata": {"path": str(folder)}})
    with pytest.MonkeyPatch.context() as env:
        # The CPU is shared: one math thread for the kernel. Two threads on two busy cores
        # spin and train several times slower.
        env.setenv("OMP_NUM_THREADS", "1")
        client.execute()
    nbformat.write(nb, folder / "executed.ipynb")  # to look at when a check fails
    return nb, folder


@pytest.mark.slow
def test_quickstart_runs_in_the_venv_kernel(quickstart):
    nb, _ = quickstart
    (probe,) = code_cells(nb)[-1].outputs
    assert probe.text == sys.executable
    errors = [o for c in code_cells(nb) for o in c.outputs if o.output_type == "error"]
    assert errors == []


@pytest.mark.slow
def test_quickstart_records_a_run(quickstart):
    nb, folder = quickstart
    (path,) = (folder / "petlens-runs").iterdir()
    run = load_run(path)
    assert run.complete and len(run.lr_finds) == 1
    assert [p["status"] for p in run.phases] == ["finished", "finished"]  # fine_tune: 2 fits
    assert len(run.vocab) == 12 and run.preds is not None
    assert run.error_rate <= 0.20  # the confusions the prose points at stand out of the noise
    (result,) = [o for o in outputs_of(nb, "run = learn.pet_lens.run\nrun.most_confused()[:5]")
                 if o.output_type == "execute_result"]
    assert ast.literal_eval(result.data["text/plain"]) == run.most_confused()[:5]


@pytest.mark.slow
def test_quickstart_shows_the_dashboard_widget_and_its_png_fallback(quickstart):
    nb, _ = quickstart
    shown, picture = outputs_of(nb, "%petlens")  # the widget, then its static picture
    model_id = shown.data[WIDGET_VIEW]["model_id"]
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    assert state[model_id]["model_name"] == "AnyModel"
    assert state[model_id]["state"]["vocab"] and state[model_id]["state"]["_esm"]
    assert picture.data["image/png"]  # what GitHub, nbviewer and nbconvert show
    picture_id = state[model_id]["state"]["picture_id"]  # the live widget hides it
    assert f'data-petlens-picture="{picture_id}"' in picture.data["text/html"]
    (plot,) = outputs_of(nb, "ConfusionMatrixView.from_run(run).plot();")
    assert plot.data["image/png"]


@pytest.mark.slow
def test_quickstart_writes_a_self_contained_report(quickstart):
    _, folder = quickstart
    (path,) = (folder / "petlens-runs").iterdir()
    html = (folder / "quickstart-report.html").read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert f"petlens report · {path.name}" in html
    assert "connect-src 'none'" in html
    assert not re.search(r"<script[^>]*\ssrc=|<link\b|(src|href)=[\"']?(https?:)?//", html)
