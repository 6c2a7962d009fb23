"""`preview_import_paths` (v2): where each row of a sheet would be saved under a layout, before importing it."""

from __future__ import annotations

from ... import importers
from ...contract.workspace import ImportPathPreview, PreviewPathsArgs
from ...importers._layout_preview import preview_paths
from ..context import AppContext
from ..registry import command
from .imports import read_rows


@command("preview_import_paths", PreviewPathsArgs)
async def preview_import_paths(app: AppContext, args: PreviewPathsArgs) -> ImportPathPreview:
    folder = args.output_dir or app.config.download.output_directory
    # On the import pool, as every import is: its time budget, and a reader that stops when the request goes.
    return await importers.run_import(_preview, args, folder)


def _preview(args: PreviewPathsArgs, folder: str) -> ImportPathPreview:
    _, tasks = read_rows(args.file_path, args.field_mapping, folder, args.layout)
    return preview_paths(tasks, output_dir=folder, layout=args.layout, limit=args.max_rows)
