"""Captum saliency for fastai image learners: a thin adapter over Captum's attribution API.

Five methods by name (``integrated_gradients``, ``saliency``, ``gradcam``, ``occlusion``,
``noise_tunnel``), batched on the learner's device, computed in float32 on the normalised
input the model sees (validation transforms) and returned as maps in [0, 1].

>>> from petlens.saliency import attribute
>>> maps = attribute(learn, [0, 1, 2], method='gradcam', target='actual')
>>> maps.shape == (3, *learn.dls.one_batch()[0].shape[-2:]), maps.dtype  # input size
(True, dtype('float32'))
"""

from .attribute import TARGETS, Attributions, attribute, available_methods, explain
from .methods import METHODS

__all__ = ["METHODS", "TARGETS", "Attributions", "attribute", "available_methods", "explain"]
