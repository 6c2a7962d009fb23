"""One headless command's life: the app started on the data dir, the command run, the app stopped (which
pauses whatever still runs, so it continues next time)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Awaitable, Callable

from ..app import Application
from ..paths import AppPaths


def run_with_app(args: argparse.Namespace, command: Callable[[Application], Awaitable[int]]) -> int:
    async def session() -> int:
        app = Application(AppPaths.resolve(args.data_dir), runtime=args.runtime)
        await app.start()
        try:
            return await command(app)
        finally:
            await app.stop()

    return asyncio.run(session())
