"""`vdp serve` for the event-bridge benchmark, with a concurrency above the UI's limit of 64.

    python -m bench._bridge_server --data-dir D --runtime v2 --concurrency 1000 --token T

The config model caps `concurrent_downloads` at 64 for users; to have 1,000 tasks running at once this process
sets the limit on the loaded config before the runtime starts. Everything else is the real server mode.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from vdp.app import Application
from vdp.bridge.server import ServerMode
from vdp.paths import AppPaths


async def _serve(args: argparse.Namespace) -> None:
    app = Application(AppPaths.resolve(args.data_dir), runtime=args.runtime)
    download = app.config.download
    download.concurrent_downloads = args.concurrency  # no validation on assignment: above the UI's cap on purpose
    download.max_connections_per_download = 1
    await app.start()
    server = ServerMode(app, port=0, token=args.token)
    await server.start()
    print(f"port {server.port}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    await server.stop()
    await app.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runtime", choices=("v1", "v2"), default="v2")
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--token", required=True)
    asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
