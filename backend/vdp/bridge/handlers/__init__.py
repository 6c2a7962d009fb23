"""Command handlers, one module per area. Importing this package registers them all."""

from . import config, diagnostics, downloads, imports, media, system  # noqa: F401
