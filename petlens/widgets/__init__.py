"""anywidget views of a run. Thin: traits for displayed state, arrays as binary buffers."""

from .compare import CompareWidget
from .confusion import ConfusionMatrixWidget
from .dashboard import Dashboard
from .embeddings import EmbeddingsWidget
from .lr_find import LrFindWidget
from .per_class import PerClassWidget
from .saliency_checks import SaliencyChecksWidget
from .timeline import TimelineWidget
from .top_losses import TopLossesWidget

__all__ = ["CompareWidget", "ConfusionMatrixWidget", "Dashboard", "EmbeddingsWidget",
           "LrFindWidget", "PerClassWidget", "SaliencyChecksWidget",
           "TimelineWidget", "TopLossesWidget"]
