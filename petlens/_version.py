"""The package version, in one place (read by ``pyproject.toml`` and the run manifest)."""

__version__ = "0.1.0"
