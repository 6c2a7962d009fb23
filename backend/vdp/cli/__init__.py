"""The `vdp` command line."""

from .main import main, script

__all__ = ["main", "script"]
