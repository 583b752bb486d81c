"""The fix queue on disk: ``fixes.json`` in a run folder, the user's decision on validation
items (keep, relabel as a class, delete, unsure), and how two writers merge.

``{"schema": "petlens.fixes/1", "run": <run id>, "decisions": [{"item": <id as in
preds.items>, "action": "keep"|"relabel"|"delete"|"unsure", "label": <class name, relabel
only, else null>, "decided": <ISO time with zone>, "by": <who, optional>}, ...], "cleared":
[{"item", "decided", "by"}, ...] (optional)}``: a cleared decision is kept as a dated
tombstone (``action`` ``clear`` in memory) so that clearing merges like deciding.

Every string is data: items must be validation items of the run (relative paths without
``..``, never absolute), labels classes of its vocab. Writes are read-merge-write under a
lock file and an atomic replace; per item the latest ``decided`` wins, so two widgets (or a
widget and an imported report export) of one run lose nothing.

>>> d = Decision("Birman_3.jpg", "relabel", "Ragdoll", "2026-11-28T10:00:00+00:00")
>>> newer = Decision("Birman_3.jpg", "keep", None, "2026-11-28T10:05:00+00:00")
>>> [x.action for x in merge([d], [newer])], [x.action for x in merge([newer], [d])]
(['keep'], ['keep'])
>>> cleared = Decision("Birman_3.jpg", CLEAR, None, "2026-11-28T10:06:00+00:00")
>>> live(merge([newer], [cleared])), [x.action for x in live(merge([cleared], [d]))]
([], [])
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from . import schema
from .errors import PetLensError
from .storage import atomic_write_json, read_json

CLEAR = "clear"  # a cleared decision (a tombstone in fixes.json's ``cleared`` list)


@dataclass(frozen=True)
class Decision:
    """One decision on one validation item (``label``: the new class, for ``relabel``)."""

    item: str
    action: str
    label: str | None
    decided: str
    by: str | None = None

    def to_json(self) -> dict:
        if self.action == CLEAR:
            return {key: value for key, value in asdict(self).items()
                    if key in ("item", "decided", "by") and value is not None}
        return {key: value for key, value in asdict(self).items()
                if value is not None or key == "label"}


def now() -> str:
    """The current time as stored in ``decided`` (UTC, microseconds)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def _when(decision: Decision) -> datetime:
    return datetime.fromisoformat(decision.decided)


def merge(*sources: Iterable[Decision]) -> list[Decision]:
    """One decision per item, the latest ``decided`` (on a tie, the later source) winning;
    in order of first appearance."""
    latest: dict[str, Decision] = {}
    for source in sources:
        for decision in source:
            old = latest.get(decision.item)
            if old is None or _when(decision) >= _when(old):
                latest[decision.item] = decision
    return list(latest.values())


def live(decisions: Iterable[Decision]) -> list[Decision]:
    """The decisions in effect (cleared ones left out)."""
    return [d for d in decisions if d.action != CLEAR]


def check_item(item, where: str) -> str:
    """An item id as stored in a run: a non-empty relative POSIX path without ``..``."""
    if not isinstance(item, str) or not item or "\0" in item:
        raise PetLensError(f"{where}: item {item!r} is not a non-empty string")
    path = PurePosixPath(item)
    if path.is_absolute() or "\\" in item or (path.parts and ":" in path.parts[0]):
        raise PetLensError(f"{where}: item {item!r} is an absolute path; items are relative")
    if ".." in path.parts:
        raise PetLensError(f"{where}: item {item!r} leaves the data folder ('..')")
    return item


def parse_decision(raw, where: str, *, vocab: list[str], items: set[str] | None,
                   allow_clear: bool = False) -> Decision:
    """Validate one decision (a JSON object) against the run's ``vocab`` and ``items``
    (``allow_clear``: ``action`` may be ``clear``, which takes no label)."""
    item = check_item(schema.expect(raw, "item", str, where), where)
    if items is not None and item not in items:
        raise PetLensError(f"{where}: item {item!r} is not a validation item of this run")
    action = schema.expect(raw, "action", str, where)
    if allow_clear and action == CLEAR:
        if schema.expect(raw, "label", str, where, optional=True) is not None:
            raise PetLensError(f"{where}: only relabel takes a 'label' ({action!r} of {item!r})")
        return Decision(item, CLEAR, None, _decided(raw, where),
                        schema.expect(raw, "by", str, where, optional=True))
    if action not in schema.FIX_ACTIONS:
        raise PetLensError(f"{where}: unknown action {action!r}; expected one of "
                           f"{schema.FIX_ACTIONS}")
    label = schema.expect(raw, "label", str, where, optional=True)
    if action == "relabel":
        if label is None:
            raise PetLensError(f"{where}: relabel of {item!r} needs a 'label' (a class name)")
        if label not in vocab:
            raise PetLensError(f"{where}: label {label!r} is not a class of this run")
    elif label is not None:
        raise PetLensError(f"{where}: only relabel takes a 'label' ({action!r} of {item!r})")
    by = schema.expect(raw, "by", str, where, optional=True)
    return Decision(item, action, label, _decided(raw, where), by)


def _decided(raw, where: str) -> str:
    decided = schema.expect(raw, "decided", str, where)
    try:
        when = datetime.fromisoformat(decided)
    except ValueError:
        raise PetLensError(f"{where}: 'decided' is not an ISO date-time: {decided!r}") from None
    if when.tzinfo is None:
        raise PetLensError(f"{where}: 'decided' needs a time zone: {decided!r}")
    return decided


def parse_document(doc, what: str, *, run_id: str, vocab: list[str],
                   items: set[str] | None, cleared: bool = False) -> list[Decision]:
    """Validate a whole decisions document (``fixes.json`` or a report's JSON export);
    ``cleared``: its cleared decisions too (``action`` ``clear``), after the others."""
    if not isinstance(doc, dict):
        raise PetLensError(f"{what}: top level must be an object")
    version = schema.expect(doc, "schema", str, what)
    if not re.fullmatch(re.escape(schema.FIXES_SCHEMA) + r"(\.\d+)?", version):
        raise PetLensError(f"{what}: schema {version!r} is not {schema.FIXES_SCHEMA!r} "
                           "(upgrade petlens to read newer decision files)")
    owner = schema.expect(doc, "run", str, what)
    if owner != run_id:
        raise PetLensError(f"{what}: these decisions belong to run {owner!r}, not to this run "
                           f"({run_id!r})")
    raws = schema.expect_list_of(doc, "decisions", dict, what)
    decisions = [parse_decision(raw, f"{what}: decisions[{i}]", vocab=vocab, items=items)
                 for i, raw in enumerate(raws)]
    if cleared and doc.get("cleared") is not None:
        raws = schema.expect_list_of(doc, "cleared", dict, what)
        decisions += [parse_decision({**raw, "action": CLEAR}, f"{what}: cleared[{i}]",
                                     vocab=vocab, items=items, allow_clear=True)
                      for i, raw in enumerate(raws)]
    return decisions


def document(run_id: str, decisions: Iterable[Decision]) -> dict:
    """The ``fixes.json`` document (cleared decisions under ``cleared``, when any)."""
    decisions = list(decisions)
    doc = {"schema": schema.FIXES_SCHEMA, "run": run_id,
           "decisions": [d.to_json() for d in live(decisions)]}
    cleared = [d.to_json() for d in decisions if d.action == CLEAR]
    if cleared:
        doc["cleared"] = cleared
    return doc


class DecisionsFile:
    """``fixes.json`` of one run folder: read, and read-merge-write under a lock."""

    def __init__(self, folder: Path, *, run_id: str, vocab: list[str],
                 items: set[str] | None):
        self.path = Path(folder) / schema.FIXES_FILE
        self.run_id, self.vocab, self.items = run_id, vocab, items

    def read(self) -> list[Decision]:
        """The stored decisions (none if the file does not exist)."""
        return live(self.read_all())

    def read_all(self) -> list[Decision]:
        """The stored decisions and cleared ones (``action`` ``clear``), one per item."""
        if not self.path.exists():
            return []
        doc = read_json(self.path, what=schema.FIXES_FILE)
        return merge(parse_document(doc, schema.FIXES_FILE, run_id=self.run_id,
                                    vocab=self.vocab, items=self.items, cleared=True))

    def add(self, decisions: Iterable[Decision]) -> list[Decision]:
        """Merge ``decisions`` (cleared ones too) into the file (latest per item wins);
        returns every decision in effect."""
        decisions = list(decisions)
        try:
            with self._locked():
                merged = merge(self.read_all(), decisions)
                atomic_write_json(self.path, document(self.run_id, merged))
        except OSError as e:
            raise PetLensError(f"{schema.FIXES_FILE}: cannot be written in {self.path.parent} "
                               f"({e.strerror or e}); export the decisions instead "
                               "(run.fixes.export_json)") from None
        return live(merged)

    @contextlib.contextmanager
    def _locked(self):
        """An exclusive lock on ``.fixes.json.lock`` (POSIX ``flock``; where there is none,
        the atomic replace alone)."""
        lock = self.path.with_name(f".{self.path.name}.lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            try:
                import fcntl
            except ImportError:  # Windows
                yield
                return
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
