"""Command handlers, one module per area. Importing this package registers them all."""

from . import config, diagnostics, downloads, folders, import_paths, imports, media, queue, system, task_details  # noqa: F401
