"""Applying decisions to the data: a plan first, every refusal checked before anything moves,
an undo log written before the first move, and an exact undo.

How labels are stored is read from the run's validation items and their labels:

- ``pets`` (Oxford-IIIT Pets: the label in the file name, ``<Breed>_<n>.jpg`` directly in the
  data folder): relabel renames to ``<NewBreed>_<m>.jpg`` (``m``: one above the highest number
  of that breed in the folder); delete moves to ``petlens-removed/`` beside the data folder.
- ``folders`` (one folder per class, fastai's ``parent_label``): relabel moves the file to
  the sibling folder of the new class (created if needed); delete as above.
- ``csv`` (anything else): no file moves; a CSV ``item,old_label,new_label,action`` is written
  for the user's own pipeline.

``keep`` and ``unsure`` never move anything. The undo log
(``petlens-removed/undo-<run id>.json``) lists every move, relative to the folder above the
data; ``undo`` moves each file back and removes the class folders the apply created.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import schema
from .decisions import Decision, now
from .errors import PetLensError
from .storage import atomic_write_bytes, atomic_write_json, read_json, resolve_inside

REMOVED = "petlens-removed"
UNDO_SCHEMA = "petlens.fixes-undo/1"
_PETS_NAME = re.compile(r"^(.+)_(\d+)\.jpg$")
_MAX_LISTED = 10


@dataclass(frozen=True)
class Move:
    """One planned file move; paths relative to the folder above the data folder."""

    item: str
    action: str
    source: str
    target: str


@dataclass
class Plan:
    """What applying the decisions would do (``describe()`` says it in words)."""

    layout: str  # 'pets', 'folders' or 'csv'
    data: Path
    moves: list[Move] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)  # (item, why)
    csv_rows: list[dict] = field(default_factory=list)
    csv_path: Path | None = None
    undo_path: Path | None = None
    run_id: str = ""

    @property
    def base(self) -> Path:
        return self.data.parent

    def describe(self) -> str:
        """The plan as printed before anything happens."""
        lines = [f"plan for {self.data} (layout: {_LAYOUTS[self.layout]}):"]
        if self.layout == "csv":
            lines += [f"  petlens cannot tell how labels are stored in {self.data} (not "
                      "Oxford-IIIT Pets file names, not one folder per class): nothing will "
                      "move; the decisions go to a CSV (item,old_label,new_label,action) for "
                      "your own pipeline:", f"  write {self.csv_path} ({len(self.csv_rows)} "
                      "rows)"]
        for move in self.moves:
            verb = "rename" if move.action == "relabel" else "remove"
            lines.append(f"  {verb} {move.source} -> {move.target}")
        if self.unchanged:
            lines.append(f"  unchanged: {len(self.unchanged)} ("
                         + ", ".join(sorted({why for _, why in self.unchanged})) + ")")
        if self.moves:
            lines.append(f"  undo log: {self.undo_path} (petlens fixes apply ... --undo)")
        if not self.moves and self.layout != "csv":
            lines.append("  nothing to move")
        return "\n".join(lines)


_LAYOUTS = {"pets": "Oxford-IIIT Pets file names", "folders": "one folder per class",
            "csv": "unknown"}


def detect_layout(items, labels) -> str:
    """``'pets'``, ``'folders'`` or ``'csv'`` from the run's item ids and their labels.

    >>> detect_layout(['Birman_1.jpg', 'pug_20.jpg'], ['Birman', 'pug'])
    'pets'
    >>> detect_layout(['cat/1.png', 'dog/a/2.png'], ['cat', 'a'])
    'folders'
    >>> detect_layout(['0', '1'], ['cat', 'dog'])
    'csv'
    """
    pairs = list(zip(map(str, items), labels, strict=True))
    if not pairs:
        return "csv"
    if all("/" not in item and (m := _PETS_NAME.match(item)) and m.group(1) == label
           for item, label in pairs):
        return "pets"
    if all(PurePosixPath(item).parent.name == label for item, label in pairs):
        return "folders"
    return "csv"


def safe_id(text: str) -> str:
    """A run id fit for a file name (else a hash of it)."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,80}", text):
        return text
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _refuse(problems: list[str], what: str) -> None:
    if problems:
        listed = "\n  ".join(problems[:_MAX_LISTED])
        more = f"\n  ... and {len(problems) - _MAX_LISTED} more" if len(
            problems) > _MAX_LISTED else ""
        raise PetLensError(f"{what}: refused, nothing was changed:\n  {listed}{more}")


def make_plan(*, run_id: str, items, labels, decisions: list[Decision], data,
              csv_path=None) -> Plan:
    """Check everything and plan the moves; :class:`PetLensError` lists every problem.

    ``items`` / ``labels``: the run's validation item ids and their given class names.
    """
    data = Path(data)
    label_of = dict(zip(map(str, items), labels, strict=True))
    layout = detect_layout(items, labels)
    plan = Plan(layout, data.absolute(), run_id=run_id)
    changing = []
    for d in decisions:
        if d.action in ("keep", "unsure"):
            plan.unchanged.append((d.item, d.action))
        elif d.action == "relabel" and d.label == label_of[d.item]:
            plan.unchanged.append((d.item, "relabel to its own label"))
        else:
            changing.append(d)
    if layout == "csv":
        plan.csv_rows = [{"item": d.item, "old_label": label_of[d.item],
                          "new_label": d.label if d.action == "relabel" else "",
                          "action": d.action} for d in decisions]
        plan.csv_path = Path(csv_path) if csv_path else (
            plan.base / f"petlens-fixes-{safe_id(run_id)}.csv")
        return plan
    if not data.is_dir():
        raise PetLensError(f"{data}: not a folder: --data must be the folder the run's items "
                           "are relative to")
    _check_data_matches(data, list(label_of))
    plan.undo_path = plan.base / REMOVED / f"undo-{safe_id(run_id)}.json"
    _check_not_applied(plan.undo_path)
    problems: list[str] = []
    taken = {f"{REMOVED}/{plan.undo_path.name}"}
    free = _FreeNumbers(data)
    for d in changing:
        try:
            source = resolve_inside(data, d.item, what=f"item {d.item!r}")
        except PetLensError as e:
            problems.append(str(e) + " (outside the data folder)")
            continue
        if not source.is_file():
            problems.append(f"item {d.item!r}: file is missing ({source})")
            continue
        if d.action == "delete":
            target = f"{REMOVED}/{d.item}"
        else:
            name = _class_component(d.label, problems)
            if name is None:
                continue
            if layout == "pets":
                target_rel = f"{name}_{free.next(name)}.jpg"
            else:
                item = PurePosixPath(d.item)
                target_rel = str(item.parent.parent / name / item.name)
            target = f"{data.name}/{target_rel}"
        target_path = plan.base / target
        if target_path.exists() or os.path.lexists(target_path) or target in taken:
            problems.append(f"item {d.item!r}: name conflict: {target} already exists")
            continue
        taken.add(target)
        plan.moves.append(Move(d.item, d.action, f"{data.name}/{d.item}", target))
    _refuse(problems, f"fixes for {data}")
    return plan


def _class_component(label: str, problems: list[str]) -> str | None:
    """A class name used as a file or folder name: one plain path component."""
    if (not label or label in (".", "..") or "/" in label or "\\" in label or "\0" in label
            or label.startswith(".")):
        problems.append(f"class {label!r} cannot be a file or folder name")
        return None
    return label


class _FreeNumbers:
    """Next free ``<n>`` of ``<Breed>_<n>.jpg`` in a folder, counting planned names too."""

    def __init__(self, folder: Path):
        self.highest: dict[str, int] = {}
        for entry in os.scandir(folder):
            match = _PETS_NAME.match(entry.name)
            if match:
                label, n = match.group(1), int(match.group(2))
                self.highest[label] = max(self.highest.get(label, 0), n)

    def next(self, label: str) -> int:
        self.highest[label] = self.highest.get(label, 0) + 1
        return self.highest[label]


def _check_data_matches(data: Path, items: list[str]) -> None:
    present = sum(1 for item in items if _exists_inside(data, item))
    if present * 2 < len(items):
        raise PetLensError(
            f"{data}: does not match the run: {len(items) - present} of its {len(items)} "
            "validation items are not there (give the folder the items are relative to; "
            "fixes already applied? see --undo)")


def _exists_inside(data: Path, item: str) -> bool:
    try:
        return resolve_inside(data, item, what="item").is_file()
    except PetLensError:
        return False


def _check_not_applied(undo_path: Path) -> None:
    if undo_path.exists():
        log = read_undo(undo_path)
        if log["status"] != "undone":
            raise PetLensError(f"{undo_path}: this run's fixes were already applied to this "
                               f"data ({log['applied']}); undo them first (--undo)")


def apply(plan: Plan) -> str:
    """Carry out ``plan`` (from :func:`make_plan`); returns what was done, in words."""
    if plan.layout == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, ["item", "old_label", "new_label", "action"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(plan.csv_rows)
        atomic_write_bytes(plan.csv_path, out.getvalue().encode("utf-8"))
        return (f"no file moved (labels are not stored in file or folder names); wrote "
                f"{plan.csv_path}: apply it in your own pipeline")
    if not plan.moves:
        return "nothing to move"
    created = _missing_dirs(plan.base, [m.target for m in plan.moves])
    log = {"schema": UNDO_SCHEMA, "run": plan.run_id, "data": plan.data.name,
           "layout": plan.layout, "applied": now(), "status": "applying",
           "moves": [{"item": m.item, "from": m.source, "to": m.target} for m in plan.moves],
           "created_dirs": created}
    atomic_write_json(plan.undo_path, log)  # before the first move
    done: list[Move] = []
    try:
        for move in plan.moves:
            target = plan.base / move.target
            target.parent.mkdir(parents=True, exist_ok=True)
            if os.path.lexists(target):
                raise PetLensError(f"{move.target}: appeared while applying; stopped")
            os.replace(plan.base / move.source, target)
            done.append(move)
    except BaseException:
        for move in reversed(done):
            os.replace(plan.base / move.target, plan.base / move.source)
        _remove_dirs(plan.base, created)
        atomic_write_json(plan.undo_path, {**log, "status": "undone"})
        raise
    atomic_write_json(plan.undo_path, {**log, "status": "applied"})
    renamed = sum(m.action == "relabel" for m in plan.moves)
    return (f"moved {len(plan.moves)} files ({renamed} relabelled, "
            f"{len(plan.moves) - renamed} removed to {REMOVED}/); undo log {plan.undo_path}")


def _missing_dirs(base: Path, targets: list[str]) -> list[str]:
    """The folders (relative to ``base``) that moving to ``targets`` will create."""
    missing = set()
    for target in targets:
        for parent in PurePosixPath(target).parents:
            if str(parent) in (".", "") or (base / parent).exists():
                break
            missing.add(str(parent))
    return sorted(missing, key=len)


def read_undo(path: Path) -> dict:
    """Read and validate an undo log (every path checked when used)."""
    what = str(path)
    log = read_json(path, what=what)
    if not isinstance(log, dict) or log.get("schema") != UNDO_SCHEMA:
        raise PetLensError(f"{what}: not a petlens undo log ({UNDO_SCHEMA})")
    for key in ("run", "data", "applied", "status"):
        schema.expect(log, key, str, what)
    for i, move in enumerate(schema.expect_list_of(log, "moves", dict, what)):
        for key in ("from", "to"):
            schema.expect(move, key, str, f"{what}: moves[{i}]")
    schema.expect_list_of(log, "created_dirs", str, what)
    return log


def undo(*, run_id: str, data) -> str:
    """Move every file of the last apply of ``run_id``'s fixes to ``data`` back."""
    data = Path(data).absolute()
    path = data.parent / REMOVED / f"undo-{safe_id(run_id)}.json"
    if not path.exists():
        raise PetLensError(f"{path}: no undo log: this run's fixes were not applied to {data}")
    log = read_undo(path)
    if log["run"] != run_id or log["data"] != data.name:
        raise PetLensError(f"{path}: this log is for run {log['run']!r} and data "
                           f"{log['data']!r}, not {run_id!r} and {data.name!r}")
    if log["status"] == "undone":
        raise PetLensError(f"{path}: already undone")
    base, problems, back = data.parent, [], []
    for move in log["moves"]:
        try:
            source = resolve_inside(base, move["from"], what="undo log")
            target = resolve_inside(base, move["to"], what="undo log")
        except PetLensError as e:
            problems.append(str(e))
            continue
        if target.is_file() and not os.path.lexists(source):
            back.append((target, source))
        elif not (source.is_file() and not os.path.lexists(target)):  # else: never moved
            problems.append(f"{move['to']} -> {move['from']}: cannot restore (one is missing "
                            "and the other exists, or both)")
    _refuse(problems, f"undo in {data}")
    for target, source in reversed(back):
        source.parent.mkdir(parents=True, exist_ok=True)
        os.replace(target, source)
    _remove_dirs(base, log["created_dirs"])
    atomic_write_json(path, {**log, "status": "undone", "undone": now()})
    return f"moved {len(back)} files back into {data}"


def _remove_dirs(base: Path, relatives: list[str]) -> None:
    """Remove the folders an apply created, deepest first, if empty."""
    for relative in sorted(relatives, key=len, reverse=True):
        with contextlib.suppress(OSError, PetLensError):
            resolve_inside(base, relative, what="undo log").rmdir()
