"""The top-loss maps of one finished fit, computed in a background thread from its snapshot.

The training thread takes the snapshot (:func:`petlens.saliency.record.take_snapshot`) and
starts the job; the job touches neither the learner nor its DataLoaders. Before each batch
it says where it stands (``progress``), after each batch it hands every row computed so far
to ``store`` (which writes them atomically), and it stops at the next batch once cancelled.
A daemon thread: at interpreter exit it just stops, and the run keeps what was stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ..saliency.record import Snapshot, explain_batch


class SaliencyJob:
    """Computing ``snapshot``'s maps for fit ``phase``, batch after batch."""

    def __init__(self, snapshot: Snapshot, phase: int, *, store: Callable, progress: Callable,
                 failed: Callable):
        """``store(job, rows, params)``: every row so far, after each batch;
        ``progress(job)``: before each batch and at the end; ``failed(job, error)``: the
        attribution raised (the job stops)."""
        self.snapshot, self.phase = snapshot, phase
        self.total, self.done, self.method = snapshot.n_maps, 0, None
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
        try:
            for method, target, indices in self.snapshot.batches:
                if self.cancelled:
                    return
                self.method = method
                self._progress(self)
                batch, batch_params = explain_batch(self.snapshot, method, target, indices)
                if self.cancelled:
                    return
                rows += batch
                params.setdefault(method, batch_params)
                self.done += len(batch)
                self._store(self, rows, params)
            self.method = None
            self._progress(self)
        except Exception as e:  # a model Captum cannot explain must not break anything
            self._failed(self, e)
        finally:
            self.snapshot = None  # the model copy and inputs: free them now
            self._finished.set()
