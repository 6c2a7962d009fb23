"""Download folders: checking one before the user saves it (absolute, exists or can be created, writable)."""

from __future__ import annotations

import asyncio

from ...contract import FolderCheck, PathArgs
from ...paths import inspect_download_folder
from ..context import AppContext
from ..registry import command


@command("check_download_folder", PathArgs)
async def check_download_folder(app: AppContext, args: PathArgs) -> FolderCheck:
    state = await asyncio.to_thread(inspect_download_folder, args.path)  # a network mount may be slow to answer
    return FolderCheck(path=state.path, usable=state.problem is None, exists=state.exists, writable=state.writable,
                       problem=state.problem)
