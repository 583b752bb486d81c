"""View models computed from a run with numpy (no fastai, no widgets), each with a static
``plot(ax=None)`` (scikit-learn Display style) and a ``widget()``."""

from ..classification import confusion_matrix, most_confused, top_losses
from .compare_view import CompareView
from .confusion_view import ConfusionMatrixView
from .embeddings_view import EmbeddingsView
from .lr_find_view import LrFindView
from .per_class_view import PerClassView
from .saliency_checks_view import SaliencyChecksView
from .timeline_view import TimelineView
from .top_losses_view import TopLossesView

__all__ = ["CompareView", "ConfusionMatrixView", "EmbeddingsView",
           "LrFindView", "PerClassView", "SaliencyChecksView", "TimelineView",
           "TopLossesView", "confusion_matrix", "most_confused", "top_losses"]
