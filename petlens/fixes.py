"""``run.fixes``: the fix queue of a run (list, decide, export, import, apply, undo).

>>> fixes = run.fixes
>>> item = str(run.preds.items[0])
>>> fixes.set(item, "relabel", run.vocab[1]).action
'relabel'
>>> fixes.set(item, "keep").action, len(fixes)    # the latest decision per item wins
('keep', 1)
>>> fixes.export_csv(tmp / "fixes.csv").read_text().splitlines()[0]
'item,old_label,new_label,action,decided,by,run'
>>> fixes.import_file(tmp / "fixes.csv")           # e.g. a file exported by the report
1
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from . import fix_apply, schema
from .decisions import (
    CLEAR,
    Decision,
    DecisionsFile,
    document,
    live,
    merge,
    now,
    parse_decision,
    parse_document,
)
from .errors import PetLensError
from .storage import atomic_write_bytes, atomic_write_json, read_json

CSV_COLUMNS = ("item", "old_label", "new_label", "action", "decided", "by", "run")


class Fixes:
    """The decisions stored in a run folder's ``fixes.json`` (read afresh at each call, so
    what another widget or process wrote is seen)."""

    def __init__(self, run):
        preds = run.preds
        if preds is None:
            raise PetLensError(f"{run.path}: no fix queue: this run has no validation "
                               "predictions")
        self.run = run
        self._items = [str(i) for i in preds.items]
        self._labels = [run.vocab[t] for t in preds.targets.tolist()]
        self._label_of = dict(zip(self._items, self._labels, strict=True))
        self._file = DecisionsFile(run.path, run_id=run.id, vocab=run.vocab,
                                   items=set(self._items))

    @property
    def path(self) -> Path:
        return self._file.path

    def list(self) -> list[Decision]:
        """Every decision, one per item, in the order items were first decided."""
        return self._file.read()

    def __len__(self) -> int:
        return len(self.list())

    def __iter__(self):
        return iter(self.list())

    def get(self, item: str) -> Decision | None:
        return next((d for d in self.list() if d.item == item), None)

    def set(self, item: str, action: str, label: str | None = None, *,
            by: str = "python") -> Decision:
        """Decide on one validation ``item`` (``keep``, ``relabel`` with ``label``, ``delete``,
        ``unsure``); stored at once (merged with what others stored meanwhile)."""
        decision = parse_decision({"item": item, "action": action, "label": label,
                                   "decided": now(), "by": by}, "decision",
                                  vocab=self.run.vocab, items=set(self._items))
        self._file.add([decision])
        return decision

    def clear(self, item: str, *, by: str = "python") -> list[Decision]:
        """Remove the decision on ``item``: stored as a dated clearing, which merges like a
        decision (a later decision elsewhere wins over it). Returns every stored decision."""
        return self.update([{"item": item, "action": CLEAR, "decided": now(), "by": by}])

    def update(self, decisions) -> list[Decision]:
        """Merge many decisions (JSON objects as ``fixes.json`` holds them, e.g. from a
        widget; ``action`` ``clear`` removes one); per item the latest ``decided`` wins.
        Returns every stored decision."""
        items = set(self._items)
        parsed = [parse_decision(raw, f"decisions[{i}]", vocab=self.run.vocab, items=items,
                                 allow_clear=True)
                  for i, raw in enumerate(decisions)]
        return self._file.add(parsed)

    # -- export / import ---------------------------------------------------------------
    def rows(self) -> list[dict]:
        """The decisions as CSV rows (``CSV_COLUMNS``)."""
        return [{"item": d.item, "old_label": self._label_of[d.item],
                 "new_label": d.label if d.action == "relabel" else "", "action": d.action,
                 "decided": d.decided, "by": d.by or "", "run": self.run.id}
                for d in self.list()]

    def export_json(self, path) -> Path:
        """Write the decisions as JSON (the ``fixes.json`` format); returns the path."""
        atomic_write_json(Path(path), document(self.run.id, self.list()))
        return Path(path)

    def export_csv(self, path) -> Path:
        """Write the decisions as CSV (``item,old_label,new_label,action,decided,by,run``)."""
        out = io.StringIO()
        writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(self.rows())
        atomic_write_bytes(Path(path), out.getvalue().encode("utf-8"))
        return Path(path)

    def read_file(self, path, *, cleared: bool = False) -> list[Decision]:
        """Decisions from an exported JSON or CSV file (the report's download), checked to
        belong to this run: its run id, items and, in a CSV, their old labels (``cleared``:
        a JSON file's cleared decisions too)."""
        path = Path(path)
        if path.suffix.lower() == ".csv":
            return self._read_csv(path)
        return parse_document(read_json(path), path.name, run_id=self.run.id,
                              vocab=self.run.vocab, items=set(self._items), cleared=cleared)

    def import_file(self, path) -> int:
        """Merge an exported file into ``fixes.json``; returns how many decisions it held."""
        decisions = self.read_file(path, cleared=True)
        self._file.add(decisions)
        return len(live(decisions))

    def _read_csv(self, path: Path) -> list[Decision]:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise PetLensError(f"{path.name}: cannot be read: {e}") from None
        reader = csv.DictReader(io.StringIO(text))
        missing = {"item", "action"} - set(reader.fieldnames or ())
        if missing:
            raise PetLensError(f"{path.name}: missing column(s) {sorted(missing)}")
        decisions, items = [], set(self._items)
        for line, row in enumerate(reader, start=2):
            where = f"{path.name}: line {line}"
            if row.get("run") and row["run"] != self.run.id:
                raise PetLensError(f"{where}: these decisions belong to run {row['run']!r}, "
                                   f"not to this run ({self.run.id!r})")
            decision = parse_decision(
                {"item": row["item"], "action": row["action"],
                 "label": row.get("new_label") or None if row["action"] == "relabel" else None,
                 "decided": row.get("decided") or now(), "by": row.get("by") or None},
                where, vocab=self.run.vocab, items=items)
            old = row.get("old_label")
            if old and old != self._label_of[decision.item]:
                raise PetLensError(f"{where}: old_label {old!r} of {decision.item!r} is not "
                                   "its label in this run (another run, or other data?)")
            decisions.append(decision)
        return merge(decisions)

    # -- applying ----------------------------------------------------------------------
    def plan(self, data, *, decisions=None, csv_path=None) -> fix_apply.Plan:
        """What :meth:`apply` would do to the data folder ``data`` (all checks done)."""
        return fix_apply.make_plan(run_id=self.run.id, items=self._items, labels=self._labels,
                                   decisions=self.list() if decisions is None else decisions,
                                   data=data, csv_path=csv_path)

    def apply(self, data, *, dry_run: bool = False, decisions_file=None, csv_path=None,
              echo=print) -> fix_apply.Plan:
        """Print the plan, then (unless ``dry_run``) apply it: relabel by renaming or moving,
        delete by moving to ``petlens-removed/`` beside ``data``, or a CSV when labels are
        not in file or folder names. ``decisions_file``: apply an exported file instead of
        ``fixes.json``. Refused with nothing changed on any problem."""
        decisions = None if decisions_file is None else self.read_file(decisions_file)
        plan = self.plan(data, decisions=decisions, csv_path=csv_path)
        echo(plan.describe())
        if not dry_run:
            echo(fix_apply.apply(plan))
        else:
            echo("dry run: nothing changed")
        return plan

    def undo(self, data, *, echo=print) -> str:
        """Restore ``data`` exactly as before the last :meth:`apply` of this run."""
        message = fix_apply.undo(run_id=self.run.id, data=data)
        echo(message)
        return message

    def __repr__(self) -> str:
        counts = {}
        for d in self.list():
            counts[d.action] = counts.get(d.action, 0) + 1
        summary = ", ".join(f"{counts[a]} {a}" for a in schema.FIX_ACTIONS if a in counts)
        return f"<petlens fixes of {self.run.id!r}: {summary or 'no decisions'}>"
