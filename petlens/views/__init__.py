"""Numpy-only view models computed from a run (no fastai, no widgets)."""

from .classification import confusion_matrix, most_confused, top_losses

__all__ = ["confusion_matrix", "most_confused", "top_losses"]
