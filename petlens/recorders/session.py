"""One recording session: every ``lr_find`` and ``fit`` of a learner into one run folder."""

from __future__ import annotations

import threading
import time
import warnings
from pathlib import Path

import numpy as np
import torch

from .. import model_info, registry, schema
from ..run_folder import RunFolder, now_iso
from ..storage import atomic_write_npz
from . import embeddings as embedding_capture
from . import guard, saliency_checks_store
from .live import LiveFeed
from .lrfind import LrFindRecorder
from .manifest import new_manifest, refresh_manifest
from .preds import PredsRecorder
from .saliency_job import SaliencyJob
from .thumbs import select_items, thumbnail_name, write_thumbnail
from .timeline import TimelineRecorder

KEEP_PREDS = ("last", "every_epoch")


class SessionRecorder:
    """Receives fastai events from :class:`~petlens.PetLens` and writes the run folder.

    Disk is touched at fit start, at each epoch end, at fit end, every ``flush_every``
    seconds during long epochs, and when a fit is found interrupted. A disk that fails
    (full, read-only, gone) never stops training: the first failure is warned about, the
    run on disk keeps its last complete state, and every later save tries again with all
    that was recorded in memory meanwhile.

    The saliency maps of a finished fit are computed in a background thread
    (:class:`~petlens.recorders.saliency_job.SaliencyJob`) from a snapshot taken at its end;
    ``lock`` is held by whoever changes or writes the manifest (the callback's events, the
    job's saves), so that it is never written while it changes.
    """

    def __init__(self, root, name, *, preds, thumbs, thumb_size, flush_every, saliency,
                 saliency_top_k, probs_top_k, live: LiveFeed | None = None,
                 embeddings: str | None = None, saliency_checks: bool = True):
        """The options are :class:`~petlens.PetLens`'s (its signature holds the defaults);
        ``live`` carries updates to the dashboards displayed while it trains."""
        self.root, self.name = Path(root), name
        self.keep_preds, self.thumbs, self.thumb_size = preds, thumbs, thumb_size
        self.saliency, self.saliency_top_k = tuple(saliency or ()), saliency_top_k
        self.saliency_checks = saliency_checks  # trust checks after each method's maps
        self._notes: set[str] = set()  # warnings already given
        self._disk_failing = False  # the latest write failed (warned once per episode)
        self._lr_finds_unsaved = False  # lr_find calls not yet in lr_find.json
        self._preds_unsaved = None  # the latest validation pass, if its write failed
        self._inputs_not_images: bool | None = None  # decided at the first fit
        self._job: SaliencyJob | None = None  # the maps of the latest finished fit
        self._details_written = False  # the job's detail images
        self.lock = threading.RLock()  # the manifest: one thread at a time
        self.flush_every = flush_every
        self.folder: RunFolder | None = None
        self.manifest: dict | None = None
        self.timeline = TimelineRecorder()
        self.lrfind = LrFindRecorder()
        self.preds = PredsRecorder(top_k=probs_top_k)
        self.embeddings_option = embeddings  # None, 'valid' or 'valid+train'
        self.embeddings = embedding_capture.EmbeddingsRecorder()
        self.mode: str | None = None  # None between fits, else "fit" or "lr_find"
        self._frozen_idx: int | None = None
        self._last_preds: dict | None = None  # arrays of the latest saved predictions
        self._cancelled = False
        self._item_ids: tuple[int, np.ndarray] | None = None
        self._last_flush = time.monotonic()
        self._n_groups = 0
        self.live = live or LiveFeed()  # dashboards displayed while this session trains
        self._started = time.monotonic()  # of the current fit or lr_find

    # -- fit boundaries ---------------------------------------------------------------
    def begin_fit(self, learn) -> None:
        if self.mode is not None:
            self.interrupted()
        self.embeddings.detach()
        try:
            self._open_folder(learn)
        except OSError as e:  # no run folder: this fit is not recorded, training goes on
            self._disk_error(e)
            return
        self.manifest["model"] = model_info.describe_model(learn)
        self._n_groups = max(self._n_groups, len(learn.opt.param_lists))
        frozen_idx = int(learn.opt.frozen_idx)
        self._cancelled = False
        self._started = time.monotonic()
        if hasattr(learn, "lr_finder"):
            self.mode = "lr_find"
            self.lrfind.begin()
        else:
            self.mode = "fit"
            self._cancel_saliency()  # this fit's end brings maps of its own
            if self._preds_unsaved is not None:  # last chance: they belong to the last fit
                self.flush()
                self._preds_unsaved = None
            self.manifest["phases"].append({
                "phase": len(self.manifest["phases"]),
                "n_epoch": int(learn.n_epoch),
                "status": "running",
                "started": now_iso(),
                "ended": None,
                "first_iter": len(self.timeline),
                "n_iter": 0,
                "frozen_idx": frozen_idx,
                "callbacks": [type(cb).__name__ for cb in learn.cbs],
            })
            self._event("fit_start", frozen_idx=frozen_idx)
            self._note_frozen(frozen_idx)
            self._check_inputs(learn)
        self.manifest["complete"] = False
        guard.watch(self)
        self.flush()

    def cancel_fit(self) -> None:
        self._cancelled = True

    def end_fit(self, learn) -> None:
        if self.mode == "lr_find":
            call = self.lrfind.end(learn, iteration=len(self.timeline),
                                   frozen_idx=int(learn.opt.frozen_idx))
            if call is not None:
                self._lr_finds_unsaved = True  # written by the flush of _end
                self._event("lr_find", index=len(self.lrfind.calls) - 1)
        elif self.mode == "fit":
            self._close_phase("cancelled" if self._cancelled else "finished")
            if self.embeddings_option == "valid+train":
                self._save_train_embeddings(learn)
            if not self._cancelled and self.saliency:
                self._start_saliency(learn, self._last_preds)
        elif self.mode is None:  # the run folder could not be opened: nothing to close
            return
        self._end()

    def interrupted(self) -> None:
        """Save a fit that stopped without ``after_fit`` (an exception or KeyboardInterrupt).

        A phase already closed (the interruption came while its end was being saved) keeps
        the status it was closed with."""
        with self.lock:
            self.embeddings.detach()
            if self.mode == "fit" and self.manifest["phases"][-1]["ended"] is None:
                self._close_phase("interrupted")
            self._end()

    def _end(self) -> None:
        self.mode = None
        phases = self.manifest["phases"]
        self.manifest["complete"] = not phases or phases[-1]["status"] == "finished"
        guard.unwatch(self)
        self.flush()

    def _close_phase(self, status: str) -> None:
        phase = self.manifest["phases"][-1]
        phase.update(status=status, ended=now_iso(),
                     n_iter=len(self.timeline) - phase["first_iter"])
        self._event("fit_end", status=status)
        if self.thumbs and self._last_preds is not None and not self._inputs_not_images:
            self._write_thumbnails(self._last_preds)

    # -- batches and epochs -----------------------------------------------------------
    def after_train_batch(self, learn) -> None:
        if self.mode == "lr_find":
            self.lrfind.record(learn.loss)
        elif self.mode == "fit":
            frozen_idx = int(learn.opt.frozen_idx)
            if frozen_idx != self._frozen_idx:
                self._note_frozen(frozen_idx)
            self.timeline.record(phase=len(self.manifest["phases"]) - 1, epoch=learn.epoch,
                                 batch=learn.iter, loss=learn.loss, hypers=learn.opt.hypers,
                                 frozen_idx=frozen_idx)
            if time.monotonic() - self._last_flush > self.flush_every:
                self.flush()
        if self.live.due():
            self._publish_live(learn)

    def _publish_live(self, learn) -> None:
        """A throttled live update: the running ``lr_find`` curve, or the timeline's new
        iterations and where the fit stands (one device transfer for their losses)."""
        if self.mode == "lr_find":
            recorder = learn.recorder
            if not recorder.losses:
                return
            self.live.publish({"kind": "lr_find", "frozen_idx": int(learn.opt.frozen_idx),
                               "lrs": np.asarray(recorder.lrs, np.float32),
                               "losses": torch.stack([torch.as_tensor(x) for x in
                                                      recorder.losses]).float().cpu().numpy()})
        elif self.mode == "fit":
            self.timeline.flush()  # one device transfer for the losses since the last one
            self.live.publish({"kind": "timeline", "end": len(self.timeline),
                               "since": lambda start: self.timeline.since(start, self._n_groups),
                               "progress": self._progress(learn)})

    def _progress(self, learn) -> dict:
        """Where the running fit stands: phase, epoch, batch, seconds elapsed and left."""
        n_epoch, n_iter = int(learn.n_epoch), int(getattr(learn, "n_iter", 0) or 0)
        done = (learn.epoch + (learn.iter + 1) / n_iter) / n_epoch if n_iter and n_epoch else 0
        elapsed = time.monotonic() - self._started
        return {"status": "running", "phase": len(self.manifest["phases"]) - 1,
                "epoch": int(learn.epoch), "n_epoch": n_epoch, "batch": int(learn.iter),
                "n_batches": n_iter, "elapsed": elapsed,
                "eta": elapsed * (1 - done) / done if done > 0 else None}

    def begin_validate(self, learn) -> None:
        if self.mode == "fit":
            self.preds.begin(_n_items(learn.dl))
            if self.embeddings_option:
                self.embeddings.begin(learn, _n_items(learn.dl))
                self._check_embeddings()

    def after_valid_batch(self, learn) -> None:
        if self.mode == "fit" and self.preds.enabled:
            self.preds.record(learn)
            if not self.preds.enabled:
                self._skip_preds(self.preds.disabled_reason)
        if self.mode == "fit" and self.embeddings_option and self.embeddings.enabled:
            self.embeddings.record(learn)
            self._check_embeddings()

    def end_validate(self, learn) -> None:
        if self.mode != "fit":
            return
        snapshot = self.preds.end(learn.epoch)
        features = self.embeddings.end() if self.embeddings_option else None
        if snapshot is not None:
            self._item_ids_for(learn.dl)
            self._preds_unsaved = None  # superseded
            try:
                self._save_preds(snapshot)
            except OSError as e:  # the previous pass stays on disk; retried at each flush
                self._preds_unsaved = snapshot
                self._disk_error(e)
                return
            self.manifest["artefacts"].pop("preds_skipped", None)
            if features is not None:
                self._save_embeddings(features, learn.epoch)
        elif self.preds.enabled and _n_items(learn.dl) == 0 and not self.manifest[
                "artefacts"]["preds"]:
            self._skip_preds("the validation set is empty")

    def end_epoch(self, learn) -> None:
        if self.mode != "fit":
            return
        record = {"phase": len(self.manifest["phases"]) - 1, "epoch": int(learn.epoch),
                  "iter": len(self.timeline)}
        recorder = getattr(learn, "recorder", None)
        if recorder is not None and recorder.values:
            names = list(recorder.metric_names[1:])
            values = [_to_float(v) for v in recorder.values[-1]]
            record.update(dict(zip(names, values, strict=False)))
        self.manifest["epochs"].append(record)
        self.flush()

    # -- writing ----------------------------------------------------------------------
    def flush(self) -> None:
        """Write the timeline, unsaved ``lr_find`` calls and the manifest as they are now.

        The manifest goes last, so it only ever names files already on disk. A write that
        fails (disk full...) is warned about once and retried at the next flush."""
        with self.lock:
            saved = self._save()
        if saved and self.live.active:
            self.live.publish({"kind": "saved", "path": self.folder.path,
                               "revision": self.manifest["revision"]})

    def _save(self) -> bool:
        """:meth:`flush`'s writes (under ``lock``); whether they succeeded."""
        if self.folder is None:
            return False
        self._last_flush = time.monotonic()
        artefacts = self.manifest["artefacts"]
        try:
            if len(self.timeline):
                artefacts["timeline"] = self.folder.write_timeline(
                    self.timeline.arrays(self._n_groups))
            if self._lr_finds_unsaved:
                artefacts["lr_find"] = self.folder.write_lr_finds(self.lrfind.calls)
                self._lr_finds_unsaved = False
            if self._preds_unsaved is not None:
                self._save_preds(self._preds_unsaved)
                self._preds_unsaved = None
            self.manifest["updated"] = now_iso()
            self.manifest["revision"] += 1
            self.folder.write_manifest(self.manifest)
        except OSError as e:
            self._disk_error(e)
            return False
        self._disk_failing = False
        return True

    @property
    def unsaved(self) -> bool:
        """Whether something recorded is not on disk yet because a write failed."""
        return self._disk_failing

    def _disk_error(self, error: OSError) -> None:
        """Warn, once until a save succeeds again, that the run folder cannot be written."""
        if not self._disk_failing:
            self._disk_failing = True
            where = self.folder.path if self.folder is not None else self.root
            warnings.warn(f"petlens: cannot write the run folder {where} ({error}); training "
                          "goes on, the run on disk keeps its last saved state and every "
                          "later save tries again", stacklevel=3)

    def _skip_preds(self, reason: str) -> None:
        """Record in the manifest why this run has no validation predictions (the views
        show it instead of a confusion matrix and top losses)."""
        self.manifest["artefacts"]["preds_skipped"] = reason

    def _save_preds(self, snapshot) -> None:
        """Write one validation pass. With ``preds='last'`` each epoch replaces the previous
        one of the same phase, so an interrupted fit still has its latest predictions."""
        phase = len(self.manifest["phases"]) - 1
        arrays = snapshot.to_numpy()
        arrays["items"] = self._items_matching(len(arrays["targets"]))
        epoch = snapshot.epoch if self.keep_preds == "every_epoch" else None
        entry = {"file": self.folder.write_preds(phase, epoch, arrays), "phase": phase,
                 "epoch": snapshot.epoch, "iter": len(self.timeline),
                 "n_items": len(arrays["targets"]),
                 "top_k": int(arrays["topk_probs"].shape[1]) if "topk_probs" in arrays else None,
                 "error_rate": float(np.mean(arrays["decoded"] != arrays["targets"]))
                 if len(arrays["targets"]) else None}
        if not self.manifest["data"]["vocab"]:  # plain DataLoaders: classes by number
            self.manifest["data"]["vocab"] = [str(c) for c in range(snapshot.n_classes)]
        pred_sets = self.manifest["artefacts"]["preds"]
        pred_sets[:] = [p for p in pred_sets if p["file"] != entry["file"]] + [entry]
        self._last_preds = arrays

    def _check_embeddings(self) -> None:
        if not self.embeddings.enabled:
            self.manifest["artefacts"]["embeddings_skipped"] = self.embeddings.disabled_reason

    def _save_embeddings(self, features, epoch: int) -> None:
        """The validation features of the pass just saved, beside its predictions."""
        try:
            embedding_capture.save_valid(
                self.folder, self.manifest, features, self._last_preds["items"],
                phase=len(self.manifest["phases"]) - 1, epoch=int(epoch),
                iteration=len(self.timeline), layer=self.embeddings.layer_name)
        except OSError as e:
            self._disk_error(e)

    def _save_train_embeddings(self, learn) -> None:
        """``embeddings='valid+train'``: the training items' features at this fit's end."""
        arrays = self._last_preds
        images = self.thumbs and not self._inputs_not_images
        try:
            why = embedding_capture.save_train(
                learn, self.folder, self.manifest, arrays,
                phase=len(self.manifest["phases"]) - 1,
                thumb_size=self.thumb_size if images else None)
        except OSError as e:
            self._disk_error(e)
            return
        if why is not None:
            self._note(f"training-set embeddings not recorded: {why}")

    def _write_thumbnails(self, arrays: dict) -> None:
        root = self.manifest["data"]["item_root"]
        if root is None:
            return
        stored = self.manifest["artefacts"]["thumbs"]["items"]
        wanted = select_items(arrays["targets"], arrays["decoded"], arrays["losses"])
        for item in (str(arrays["items"][i]) for i in wanted):
            if item in stored:
                continue
            dest, relative = self.folder.thumb_path(thumbnail_name(item))
            try:
                written = write_thumbnail(Path(root) / item, dest, self.thumb_size)
            except OSError as e:  # disk full...: the rest would fail too
                self._disk_error(e)
                return
            if written:
                stored[item] = relative

    # -- saliency, in the background -------------------------------------------------
    def _start_saliency(self, learn, arrays: dict | None) -> None:
        """Snapshot what the top-loss maps of the fit that just finished need (the model,
        the items' inputs) and compute them in a background thread; the manifest says which
        fit they belong to and how far they are (``artefacts.saliency``: ``status``,
        ``done`` / ``total``). A learner that cannot be explained is warned about once;
        training is never broken. Nothing to explain (no predictions, inputs that are not
        images) is no warning here: the reason was given when it became known."""
        from ..saliency import available_methods
        from ..saliency.record import pack, plan, take_snapshot

        self._cancel_saliency()
        if arrays is None or self._inputs_not_images:
            return
        methods, note = plan(learn, self.saliency)
        if note is not None:
            self._note(note)
        if not methods:
            return
        try:
            snapshot = take_snapshot(
                learn, arrays["items"], arrays["losses"], arrays["targets"], arrays["decoded"],
                methods=methods, k=self.saliency_top_k, smallest=self.thumb_size)
        except Exception as e:  # a model that cannot be copied or loaded must not fail the fit
            self._note(f"saliency not recorded: {type(e).__name__}: {e}")
            return
        try:  # the earlier fit's maps go: they do not explain this model
            atomic_write_npz(self.folder.path / schema.SALIENCY_FILE, pack([]))
        except OSError as e:
            self._disk_error(e)
            return
        phase = len(self.manifest["phases"]) - 1
        job = SaliencyJob(snapshot, phase, store=self._store_saliency,
                          progress=self._saliency_progress, failed=self._saliency_failed,
                          checks=self.saliency_checks)
        self.manifest["artefacts"]["saliency"] = {
            "file": schema.SALIENCY_FILE, "phase": phase, "top_k": self.saliency_top_k,
            "methods": [], "available": available_methods(learn), "params": {},
            "status": "pending", "order": snapshot.methods, "done": 0, "total": job.total}
        self.manifest["artefacts"]["details"] = {"phase": phase, "items": {}}
        try:
            saliency_checks_store.begin(self.folder.path, self.manifest, job, self.saliency)
        except OSError as e:
            self._disk_error(e)
        self._job, self._details_written = job, False
        job.start()  # its first save waits for this event's lock

    def _cancel_saliency(self) -> None:
        """Stop the maps being computed (a new fit changes the model they would describe);
        the manifest keeps those already stored, marked ``cancelled``."""
        job, entry = self._job, self.manifest["artefacts"].get("saliency")
        if job is not None and not job.finished:
            job.cancel()
            if entry is not None and entry.get("status") == "pending":
                entry["status"] = "cancelled"
            saliency_checks_store.mark(self.manifest, "cancelled")

    def _store_saliency(self, job: SaliencyJob, rows: list[dict], params: dict) -> None:
        """From the job's thread: every map so far, atomically, then the manifest."""
        from ..saliency.record import pack

        with self.lock:
            if job is not self._job or job.cancelled:
                return
            try:
                atomic_write_npz(self.folder.path / schema.SALIENCY_FILE, pack(rows))
                if not self._details_written:
                    self._details_written = True
                    self.manifest["artefacts"]["details"]["items"] = self._write_details(
                        job.snapshot)
                saliency_checks_store.store(self.folder.path, self.manifest, job,
                                            self.saliency)
            except OSError as e:
                self._disk_error(e)
                return
            self.manifest["artefacts"]["saliency"].update(
                methods=[m for m in self.saliency if m in params], params=params,
                done=job.done, status="complete" if job.done == job.total else "pending")
            saved = self._save()
        if saved and self.live.active:
            self.live.publish({"kind": "saved", "path": self.folder.path,
                               "revision": self.manifest["revision"]})

    def _saliency_progress(self, job: SaliencyJob) -> None:
        if self.live.active and job is self._job:
            self.live.publish({"kind": "saliency", "phase": job.phase, "done": job.done,
                               "total": job.total, "method": job.method,
                               "checking": job.checking,
                               "checks_done": None if job.checks is None else job.checks.done})

    def _saliency_failed(self, job: SaliencyJob, error: Exception) -> None:
        self._note(f"saliency not recorded: {type(error).__name__}: {error}")
        with self.lock:
            if job is self._job:
                self.manifest["artefacts"]["saliency"]["status"] = "failed"
                saliency_checks_store.mark(self.manifest, "failed")
                self._save()

    def wait_for_saliency(self, timeout: float | None = None, *, echo=print) -> bool:
        """Wait for the maps being computed, saying how far they are through ``echo`` (one
        line, rewritten); ``timeout`` in seconds. Whether none is pending any more."""
        job = self._job
        deadline = None if timeout is None else time.monotonic() + timeout
        shown = None
        while job is not None and not job.wait(0.5 if deadline is None else max(
                0.0, min(0.5, deadline - time.monotonic()))):
            line = f"petlens: saliency {job.done} / {job.total}" + (
                f" ({job.method}{' checks' if job.checking else ''})" if job.method else "")
            if echo is not None and line != shown:
                echo(line, end="\r", flush=True)
                shown = line
            if deadline is not None and time.monotonic() >= deadline:
                return False
        if shown is not None:
            echo(f"petlens: saliency {job.done} / {job.total} done")
        return True

    def _write_details(self, snapshot) -> dict[str, str]:
        """JPEGs of the explained items at their detail size (``details/<hash>.jpg``, the
        maps' size): ``{item: relative path}`` of those whose image file could be read."""
        root = self.manifest["data"]["item_root"]
        written = {}
        for index, size in snapshot.longest.items():
            item = snapshot.ids[index]
            relative = f"{schema.DETAILS_DIR}/{thumbnail_name(item)}"
            if root is not None and write_thumbnail(Path(root) / item,
                                                    self.folder.path / relative, size):
                written[item] = relative
        return written

    def _note_earlier_training(self, learn) -> None:
        """A learner trained before PetLens was added: say so once, and in the manifest."""
        earlier = model_info.earlier_training(learn)
        if earlier is None:
            return
        self.manifest["earlier_training"] = earlier
        n = earlier["epochs"]
        epochs = "" if n is None else f"about {n:g} epoch{'' if n == 1 else 's'}, "
        self._note(f"this learner was trained before PetLens was added ({epochs}"
                   f"{earlier['iterations']} iterations): the run records what comes next")

    def _note(self, note: str) -> None:
        """Warn about ``note`` once per session."""
        if note not in self._notes:
            self._notes.add(note)
            warnings.warn(f"petlens: {note}", stacklevel=3)

    def _check_inputs(self, learn) -> None:
        """At the first fit: a learner whose inputs are not images (tabular, text) gets one
        warning and no thumbnails or saliency (there is nothing to picture)."""
        if self._inputs_not_images is not None:
            return
        self._inputs_not_images = not model_info.inputs_are_images(learn)
        skipped = [what for what, wanted in (("thumbnails", self.thumbs),
                                             ("saliency maps", self.saliency)) if wanted]
        if self._inputs_not_images and skipped:
            self._note(f"this learner's inputs are not images: no {' and no '.join(skipped)} "
                       "are recorded (the timeline, lr_find and predictions are)")

    # -- helpers ----------------------------------------------------------------------
    def _open_folder(self, learn) -> None:
        if self.folder is None:
            self.folder = RunFolder(self.root, self.name)
            self.manifest = new_manifest(self.folder.id, self.name, learn,
                                         thumb_size=self.thumb_size)
            registry.note_pending(self.folder.path, self.wait_for_saliency)
            self._note_earlier_training(learn)
        else:
            refresh_manifest(self.manifest, learn)

    def _event(self, kind: str, **detail) -> None:
        self.manifest["events"].append({"kind": kind, "iter": len(self.timeline),
                                        "time": now_iso(), **detail})

    def _note_frozen(self, frozen_idx: int) -> None:
        previous, self._frozen_idx = self._frozen_idx, frozen_idx
        if frozen_idx > (0 if previous is None else previous):
            self._event("freeze", frozen_idx=frozen_idx)
        elif previous is not None and frozen_idx < previous:
            self._event("unfreeze", frozen_idx=frozen_idx)

    def _item_ids_for(self, dl) -> None:
        key = id(dl)
        if self._item_ids is None or self._item_ids[0] != key:
            ids, root = model_info.item_ids(getattr(dl, "items", None))
            self._item_ids = (key, np.asarray(ids, dtype=str))  # one array per data loader
            self.manifest["data"]["item_root"] = root

    def _items_matching(self, n: int) -> np.ndarray:
        ids = self._item_ids[1] if self._item_ids else np.zeros(0, dtype=str)
        if len(ids) == n:
            return ids
        if len(ids):  # data without items (tensors) is numbered silently
            warnings.warn("petlens: validation items do not match the predictions; "
                          "items are identified by position", stacklevel=2)
        return np.arange(n).astype(f"<U{len(str(max(n - 1, 0)))}")


def _n_items(dl) -> int:
    n = getattr(dl, "n", None)
    return int(n) if n is not None else len(dl.dataset)


def _to_float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
