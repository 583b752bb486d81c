"""The one exception petlens raises for bad input."""


class PetLensError(Exception):
    """A run folder, artefact or argument that petlens cannot use.

    The message always names the file (or argument) and what is wrong with it.
    """
