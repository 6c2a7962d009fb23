"""The app configuration on disk."""

from .store import ConfigStore, validate_update

__all__ = ["ConfigStore", "validate_update"]
