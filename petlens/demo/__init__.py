"""Built-in synthetic Oxford-IIIT-Pets stand-in and the demo training recipe."""

from .recipe import DEFAULT_DATA, DEMO_RECIPE, pets_dataloaders
from .synthetic import BREEDS, make_pets

__all__ = ["BREEDS", "DEFAULT_DATA", "DEMO_RECIPE", "make_pets", "pets_dataloaders"]
