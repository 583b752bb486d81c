"""petlens: interactive, shareable views of fastai image-classifier training.

>>> from petlens import PetLens, load_run
>>> learn.add_cb(PetLens())                    # records into ./petlens-runs/<run id>/
<fastai.learner.Learner object at ...>
>>> learn.fine_tune(1)
>>> run = load_run(learn.pet_lens.path)        # anywhere, without fastai training
>>> [phase["n_epoch"] for phase in run.phases]  # fine_tune: a frozen fit, then unfrozen
[1, 1]
"""

from ._version import __version__
from .compare import Comparison, compare
from .errors import PetLensError
from .run import LrFind, Preds, Run, Timeline, load_run

__all__ = ["Comparison", "LrFind", "PetLens", "PetLensError", "Preds", "Run", "Timeline",
           "__version__", "compare", "load_run"]


def load_ipython_extension(ipython):
    """``%load_ext petlens`` registers the ``%petlens`` magic."""
    from .magics import load_ipython_extension as load

    load(ipython)


def __getattr__(name):
    # PetLens imports fastai (slow, and a GPU stack); readers of runs do not need it.
    if name == "PetLens":
        from .callback import PetLens

        return PetLens
    raise AttributeError(f"module 'petlens' has no attribute {name!r}")
