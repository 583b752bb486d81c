"""Recorders capture one kind of artefact each from fastai's training events."""
