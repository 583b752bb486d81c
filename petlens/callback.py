"""``PetLens``: the fastai callback that records a training session into a run folder."""

from __future__ import annotations

import warnings
from pathlib import Path

from fastai.callback.core import Callback
from fastai.learner import Recorder
from fastai.torch_core import num_distrib, rank_distrib

from . import registry, schema
from .errors import PetLensError
from .recorders.embeddings import EmbeddingsRecorder
from .recorders.live import LiveFeed
from .recorders.preds import PredsRecorder
from .recorders.session import KEEP_PREDS, SessionRecorder
from .run import Run, load_run
from .run_folder import RUNS_FOLDER

DEFAULT_SALIENCY = ("integrated_gradients", "gradcam")  # what PetLens() precomputes
EMBEDDINGS = (False, True, "valid", "valid+train")  # PetLens(embeddings=...)


class PetLens(Callback):
    """Record every ``lr_find`` and ``fit`` of a learner into one run folder.

    >>> learn.add_cb(PetLens())          # learn = vision_learner(dls, resnet34, ...)
    <fastai.learner.Learner object at ...>
    >>> learn.lr_find(show_plot=False)
    SuggestedLRs(valley=...)
    >>> learn.fine_tune(1, 2e-3)
    >>> len(learn.pet_lens.run.lr_finds), len(learn.pet_lens.run.phases)
    (1, 2)

    Args:
        path: folder that holds runs (one sub-folder per run).
        name: folder name of the run; by default a time-stamped id.
        preds: ``'last'`` keeps the validation predictions of the last epoch of each fit,
            ``'every_epoch'`` those of every epoch.
        thumbs: write thumbnails of the items the views show (top losses, confused cells).
        thumb_size: longest side of a thumbnail, in pixels.
        flush_every: seconds between saves during a long epoch (epoch ends always save).
        saliency: Captum methods precomputed for the top losses of each finished fit
            (``'integrated_gradients'``, ``'saliency'``, ``'gradcam'``, ``'occlusion'``,
            ``'noise_tunnel'``); ``()`` or ``None`` switches it off. They are computed in a
            background thread from a copy of the model taken at the fit's end, so reading or
            showing the run never waits for them (:meth:`wait_for_saliency` does): cheapest
            method first (Grad-CAM in seconds on a CPU, Integrated Gradients after), stored
            as each batch is done (4 items on a CPU, the validation batch on a GPU). A fit
            started meanwhile cancels them; its own end computes new ones.
        saliency_top_k: how many of the highest-loss validation items get saliency maps.
        saliency_checks: after each method's maps, check them in the same background thread
            (model randomisation, deletion / insertion against a random pixel order,
            localisation where the data has object masks): ``saliency_checks.npz``,
            ``run.saliency_checks``, a badge per map and the "Saliency quality" panel.
            ``False`` skips them (the maps come sooner).
        probs_top_k: how many class probabilities to keep per validation item: ``'auto'``
            keeps all of them up to 200 classes and the 10 largest above (plus the actual
            class's); an int keeps that many, ``None`` all. Confusion matrices and losses
            are exact either way.
        embeddings: record the penultimate features (the input of the model's last
            ``nn.Linear``) of every validation item from the validation pass fastai runs
            (no extra pass): ``True`` or ``'valid'``; ``'valid+train'`` also those of the
            training items, in one pass without augmentation at the end of every fit (the
            latest replaces the previous: the last fit's remain), so that the view can show
            each validation item's nearest training images. Stored float16
            (``embeddings.npz``); the view maps them to 2-D with UMAP when it is first shown.
    """

    order = Recorder.order + 5  # after Recorder: its epoch values are ready for us
    _EVENTS = ("before_fit", "before_train", "after_batch", "before_validate",
               "after_validate", "after_epoch", "after_cancel_fit", "after_fit")

    def __init__(self, path=RUNS_FOLDER, name: str | None = None, *, preds: str = "last",
                 thumbs: bool = True, thumb_size: int = 128, flush_every: float = 60.0,
                 saliency=DEFAULT_SALIENCY, saliency_top_k: int = 16, probs_top_k="auto",
                 embeddings=False, saliency_checks: bool = True):
        if preds not in KEEP_PREDS:
            raise PetLensError(f"PetLens(preds={preds!r}): expected one of {KEEP_PREDS}")
        if not isinstance(thumb_size, int) or not 16 <= thumb_size <= 1024:
            raise PetLensError(f"PetLens(thumb_size={thumb_size!r}): expected 16..1024 pixels")
        saliency = (saliency,) if isinstance(saliency, str) else tuple(saliency or ())
        unknown = [m for m in saliency if m not in schema.SALIENCY_METHODS]
        if unknown:
            raise PetLensError(f"PetLens(saliency={unknown!r}): expected methods among "
                               f"{schema.SALIENCY_METHODS}")
        if not isinstance(saliency_top_k, int) or saliency_top_k < 1:
            raise PetLensError(f"PetLens(saliency_top_k={saliency_top_k!r}): expected an int >= 1")
        if probs_top_k not in ("auto", None) and (
                isinstance(probs_top_k, bool) or not isinstance(probs_top_k, int)
                or probs_top_k < 1):
            raise PetLensError(f"PetLens(probs_top_k={probs_top_k!r}): expected 'auto', None "
                               "or an int >= 1")
        if not any(embeddings is e or (isinstance(e, str) and embeddings == e)
                   for e in EMBEDDINGS):
            raise PetLensError(f"PetLens(embeddings={embeddings!r}): expected one of "
                               f"{EMBEDDINGS}")
        embeddings = "valid" if embeddings is True else embeddings or None
        self._options = dict(root=Path(path), name=name, preds=preds, thumbs=thumbs,
                             thumb_size=thumb_size, flush_every=flush_every,
                             saliency=saliency, saliency_top_k=saliency_top_k,
                             probs_top_k=probs_top_k, embeddings=embeddings,
                             saliency_checks=bool(saliency_checks))
        self._live = LiveFeed()  # dashboards shown by show(), across new_run()
        self._session = SessionRecorder(**self._options, live=self._live)
        self._gatherer = PredsRecorder(probs_top_k, keep=False)  # ranks other than 0
        self._embeddings_gatherer = EmbeddingsRecorder(keep=False)
        self._run_cache: Run | None = None

    # -- fastai hygiene: a learner exported with this callback pickles only its options --
    def __getstate__(self):
        return {"learn": self.__dict__.get("learn"), "_options": self._options,
                "_recording": False, "_fit_started": False}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._live = LiveFeed()
        self._session = SessionRecorder(**self._options, live=self._live)
        self._gatherer = PredsRecorder(self._options["probs_top_k"], keep=False)
        self._embeddings_gatherer = EmbeddingsRecorder(keep=False)
        self._run_cache = None

    # -- events ------------------------------------------------------------------------
    def __call__(self, event_name):
        """Dispatch a fastai event as ``Callback.__call__`` does, with one difference.

        fastai switches callbacks off through their ``run`` attribute; on ``PetLens``,
        ``run`` is the recorded :class:`~petlens.Run`, so the switch is ``_recording``:
        only rank 0 of a distributed job writes (the other ranks only send it their
        validation predictions), ``get_preds`` passes are ignored, and of
        several ``PetLens`` on one learner only the last one added records.

        A disk error while saving never stops training: the session warns once and keeps
        recording in memory (see :class:`~petlens.recorders.session.SessionRecorder`).
        """
        if event_name == "before_fit":
            self._recording = (not hasattr(self.learn, "gather_preds")
                               and self._is_the_active_lens())
            self._writer = rank_distrib() == 0
        if event_name not in self._EVENTS or not getattr(self, "_recording", False):
            return None
        if not self._writer:
            return self._take_part_in_gathers(event_name)
        try:
            with self._session.lock:  # the saliency thread saves the manifest too
                return getattr(self, event_name)()
        except OSError as e:  # a write the session did not expect to fail
            self._session._disk_error(e)
            return None

    def _take_part_in_gathers(self, event_name: str) -> None:
        """On ranks other than 0: compute and send each validation batch's predictions to
        the all-gather that rank 0's recorder makes, nothing else (nothing is written)."""
        learn = self.learn
        if event_name == "before_fit":
            self._fit_started = False
        elif event_name == "before_train":
            self._fit_started = True
        in_a_fit = self._fit_started and not hasattr(learn, "lr_finder")
        embeddings = self._options.get("embeddings") and in_a_fit
        if event_name == "before_validate" and in_a_fit:
            self._gatherer.begin(0)
            if embeddings:
                self._embeddings_gatherer.begin(learn, 0)
        elif event_name == "after_batch" and not learn.training and in_a_fit:
            self._gatherer.record(learn)
            if embeddings:
                self._embeddings_gatherer.record(learn)
        elif event_name == "after_validate":
            self._embeddings_gatherer.detach()

    def _is_the_active_lens(self) -> bool:
        """Whether this is the last ``PetLens`` of the learner (the one ``learn.pet_lens``
        names after ``add_cb``); any other one warns once and records nothing."""
        lenses = [cb for cb in self.learn.cbs if isinstance(cb, PetLens)]
        if not lenses or lenses[-1] is self:
            return True
        if not getattr(self, "_warned_duplicate", False):
            self._warned_duplicate = True
            warnings.warn(
                f"petlens: this learner has {len(lenses)} PetLens callbacks; only the last one "
                "added records (learn.pet_lens), the others stay idle. Add PetLens once, or "
                "remove the extra ones with learn.remove_cb(...)", stacklevel=4)
        return False

    def before_fit(self):
        # fastai also sends before_fit / after_fit around learn.validate(); a fit starts
        # for real at its first training epoch.
        self._fit_started = False

    def before_train(self):
        if not self._fit_started:
            self._fit_started = True
            is_new_run = self._session.folder is None
            self._session.begin_fit(self.learn)
            if self._session.mode is None and num_distrib() > 1:
                self._writer = False  # no run folder (a warned disk error): still gather
            elif is_new_run and self._session.folder is not None:
                registry.note(self)  # %petlens shows it (not a lens that could not write)

    def after_batch(self):
        if self.learn.training:
            self._session.after_train_batch(self.learn)
        else:
            self._session.after_valid_batch(self.learn)

    def before_validate(self):
        self._session.begin_validate(self.learn)

    def after_validate(self):
        self._session.end_validate(self.learn)

    def after_epoch(self):
        self._session.end_epoch(self.learn)

    def after_cancel_fit(self):
        self._session.cancel_fit()

    def after_fit(self):
        if self._fit_started:
            self._session.end_fit(self.learn)

    # -- reading -----------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The current run folder (``None`` until the first fit or ``lr_find``)."""
        folder = self._session.folder
        return None if folder is None else folder.path

    @property
    def run(self) -> Run:
        """The current run as a :class:`~petlens.Run` (what ``load_run(lens.path)`` gives),
        at once: saliency maps still being computed are in a later read (or after
        :meth:`wait_for_saliency`)."""
        if self._session.folder is None:
            raise PetLensError("PetLens has recorded nothing yet: call lr_find or fit first")
        session = self._session
        if session.mode is not None or session.unsaved:
            session.flush()
        revision = session.manifest["revision"]
        if self._run_cache is None or self._run_cache.manifest.get("revision") != revision:
            self._run_cache = load_run(self.path)
        return self._run_cache

    def wait_for_saliency(self, timeout: float | None = None, *, progress: bool = True) -> bool:
        """Wait for the saliency maps of the last finished fit (printing how far they are
        unless ``progress=False``), at most ``timeout`` seconds; whether none is pending.
        ``run.export_html()`` in this process waits the same way."""
        return self._session.wait_for_saliency(timeout, echo=print if progress else None)

    def show(self):
        """The dashboard of the current run, live: it updates while this learner trains
        (in this cell or the next ones) and can ask it for more (saliency, larger images).
        Shown before any ``lr_find`` or fit, it waits for the first one."""
        from .widgets.dashboard import Dashboard  # sugar pointing up: lazy

        return Dashboard.from_lens(self)

    def subscribe(self, method) -> None:
        """Send this lens's live updates to ``method`` (a bound method, held weakly; see
        :mod:`petlens.recorders.live`)."""
        self._live.subscribe(method)

    def new_run(self) -> None:
        """Start a new run folder at the next fit; the current run stays as it is on disk."""
        if self._session.mode is not None:
            self._session.interrupted()
        self._session = SessionRecorder(**self._options, live=self._live)
        self._gatherer = PredsRecorder(self._options["probs_top_k"], keep=False)
        self._embeddings_gatherer = EmbeddingsRecorder(keep=False)
        self._run_cache = None
