"""Plain HTTP(S) files."""

from .engine import HttpEngine

__all__ = ["HttpEngine"]
