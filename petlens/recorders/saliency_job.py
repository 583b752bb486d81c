"""The top-loss maps of one finished fit, computed in a background thread from its snapshot.

The training thread takes the snapshot (:func:`petlens.saliency.record.take_snapshot`) and
starts the job; the job touches neither the learner nor its DataLoaders. Before each batch
it says where it stands (``progress``), after each batch it hands every row computed so far
to ``store`` (which writes them atomically), and it stops at the next batch once cancelled.
A daemon thread: at interpreter exit it just stops, and the run keeps what was stored.

With ``checks`` (``PetLens(saliency_checks=True)``, the default) the maps of each method are
followed by their trust checks (:class:`petlens.saliency.check_record.CheckState`), in
chunks of the batch size, each chunk stored the same way (``job.checks`` holds them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..saliency.check_record import CheckState
from ..saliency.record import Snapshot, explain_batch


class SaliencyJob:
    """Computing ``snapshot``'s maps for fit ``phase``, batch after batch."""

    def __init__(self, snapshot: Snapshot, phase: int, *, store: Callable, progress: Callable,
                 failed: Callable, checks: bool = False):
        """``store(job, rows, params)``: every row so far, after each batch (and after each
        chunk of checks); ``progress(job)``: before each batch and at the end;
        ``failed(job, error)``: the attribution raised (the job stops)."""
        self.snapshot, self.phase = snapshot, phase
        self.total, self.done, self.method = snapshot.n_maps, 0, None
        self.checks = CheckState(snapshot, phase=phase, total=self.total) if checks else None
        self.checking = False  # whether the batch under way is checks
        self._store, self._progress, self._failed = store, progress, failed
        self._cancel, self._finished = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"petlens-saliency-{phase}",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def cancel(self) -> None:
        """Stop before the next batch (the batch under way is finished, not stored)."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def finished(self) -> bool:
        """Whether the thread has stopped: every map done, cancelled, or failed."""
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the job stops (at most ``timeout`` seconds); whether it has."""
        return self._finished.wait(timeout)

    def _run(self) -> None:
        rows, params = [], {}
        batches = self.snapshot.batches
        try:
            for at, (method, target, indices) in enumerate(batches):
                if self.cancelled:
                    return
                self.method, self.checking = method, False
                self._progress(self)
                batch, batch_params = explain_batch(self.snapshot, method, target, indices)
                if self.cancelled:
                    return
                rows += batch
                params.setdefault(method, batch_params)
                self.done += len(batch)
                self._store(self, rows, params)
                last_of_method = at + 1 == len(batches) or batches[at + 1][0] != method
                if (self.checks is not None and last_of_method
                        and not self._check(method, rows, params, len(indices))):
                    return
            self.method, self.checking = None, False
            if self.checks is not None:
                self.checks.status = "complete"
                self._store(self, rows, params)
            self._progress(self)
        except Exception as e:  # a model Captum cannot explain must not break anything
            if self.checks is not None:
                self.checks.status = "failed"
            self._failed(self, e)
        finally:
            self.snapshot = None  # the model copy and inputs: free them now
            if self.checks is not None:
                self.checks.snapshot = self.checks.checker = None
            self._finished.set()

    def _check(self, method: str, rows: list[dict], params: dict, size: int) -> bool:
        """The checks of ``method``'s rows, ``size`` at a time, each chunk stored; whether
        the job goes on (not cancelled)."""
        mine = [row for row in rows if row["method"] == method]
        for start in range(0, len(mine), max(1, size)):
            if self.cancelled:
                return False
            self.checking = True
            self._progress(self)
            self.checks.add(method, mine[start:start + size])
            if self.cancelled:
                return False
            self._store(self, rows, params)
        for row in mine:  # the maps on the model's input are no longer needed
            row.pop("input_map", None)
        return True
