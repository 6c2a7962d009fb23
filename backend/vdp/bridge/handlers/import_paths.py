"""`preview_import_paths` (v2): where each row of a sheet would be saved under a layout, before importing it."""

from __future__ import annotations

import asyncio

from ... import importers
from ...contract.workspace import ImportPathPreview, PreviewPathsArgs
from ...importers._layout_preview import preview_paths
from ..context import AppContext
from ..registry import command


@command("preview_import_paths", PreviewPathsArgs)
async def preview_import_paths(app: AppContext, args: PreviewPathsArgs) -> ImportPathPreview:
    folder = args.output_dir or app.config.download.output_directory
    return await asyncio.to_thread(_preview, args, folder)


def _preview(args: PreviewPathsArgs, folder: str) -> ImportPathPreview:
    parsed = importers.parse(args.file_path, field_mapping=args.field_mapping)
    tasks = importers.build_tasks(parsed.imported_data, output_dir=folder, layout=args.layout)
    return preview_paths(tasks, output_dir=folder, layout=args.layout, limit=args.max_rows)
