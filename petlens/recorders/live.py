"""Live updates of a run while it is recorded, for whoever displays it (a dashboard widget).

The training loop's own thread publishes at batch boundaries, throttled by time; nothing
here touches the disk or synchronises with the device per batch; subscribers are held
weakly and drop out when they say so, so a widget that was closed or garbage-collected
costs nothing, and a subscriber
that fails is dropped with one warning (a front end never stops training).

Updates are plain dicts (numpy arrays inside), one of these kinds:

- ``{"kind": "timeline", "end": n, "since": f, "progress": {...}}``: the run has ``n``
  training iterations; ``f(i)`` gives those from ``i`` on (``phase``, ``epoch``, ``loss``,
  ``lrs``, ``moms``, ``trainable``: each subscriber asks from where it stands), and where
  the fit stands (phase, epoch, batch, elapsed, ETA);
- ``{"kind": "lr_find", "lrs": ..., "losses": ...}``: the running ``lr_find`` curve so far;
- ``{"kind": "saved", "status": ...}``: the run folder has just been saved (an epoch ended,
  an ``lr_find`` or a fit ended with ``status``, saliency maps were stored): read it again
  for the rest;
- ``{"kind": "saliency", "phase": p, "done": i, "total": n, "method": m}``: the background
  saliency maps of fit ``p`` are at map ``i`` of ``n``, computing ``m`` (``None``: done),
  published from that job's thread; ``checking`` (the maps' trust checks are under way) and
  ``checks_done`` (maps checked; ``None``: checks off) say how far the checks are.

Updates come from the training thread and the saliency thread: the subscriber list is
locked, deliveries are not (a subscriber that may be called from both serialises itself).
"""

from __future__ import annotations

import threading
import time
import warnings
import weakref
from collections.abc import Callable

DEFAULT_INTERVAL = 0.3  # seconds between two timeline updates (about 3 a second)


class LiveFeed:
    """Subscribers of one recording session and the throttle of its updates.

    >>> feed, seen = LiveFeed(), []
    >>> class Viewer:
    ...     def update(self, message): seen.append(message["kind"])
    >>> viewer = Viewer(); feed.subscribe(viewer.update)
    >>> feed.publish({"kind": "saved", "status": "running"}); seen
    ['saved']
    >>> del viewer; feed.active   # held weakly: a viewer gone costs nothing
    False
    """

    def __init__(self, interval: float = DEFAULT_INTERVAL,
                 clock: Callable[[], float] = time.monotonic):
        self.interval, self._clock = interval, clock
        self._subscribers: list[weakref.WeakMethod] = []
        self._last = float("-inf")
        self._lock = threading.Lock()  # the subscriber list, changed from two threads

    def subscribe(self, method) -> None:
        """Send updates to ``method``, a bound method (held weakly with its object); it
        returns ``False`` to stop receiving them (a closed widget)."""
        with self._lock:
            self._subscribers.append(weakref.WeakMethod(method))

    @property
    def active(self) -> bool:
        """Whether anyone is listening (dead subscribers are forgotten here)."""
        with self._lock:
            self._subscribers = [ref for ref in self._subscribers if ref() is not None]
            return bool(self._subscribers)

    def due(self) -> bool:
        """Whether a throttled update should go out now (a host-side check only)."""
        return self.active and self._clock() - self._last >= self.interval

    def publish(self, update: dict) -> None:
        """Send ``update`` to every subscriber now."""
        self._last = self._clock()
        with self._lock:
            subscribers = list(self._subscribers)
        for ref in subscribers:
            method = ref()
            if method is None:
                continue
            try:
                if method(update) is False:
                    self._drop(ref)
            except Exception as e:  # a failing front end must not stop training
                self._drop(ref)
                warnings.warn(f"petlens: a live view stopped updating: {type(e).__name__}: {e}",
                              stacklevel=2)

    def _drop(self, ref) -> None:
        with self._lock:
            if ref in self._subscribers:
                self._subscribers.remove(ref)
