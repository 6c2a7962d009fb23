"""`vdp serve`: the app without a window, reachable from a browser on this machine."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import sys

from ..app import Application
from ..bridge.server import ServerMode
from ..paths import AppPaths
from .signals import on_interrupt


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace) -> int:
    if not _is_loopback(args.host) and not args.allow_remote:
        print(f"Refusing to listen on {args.host}: only loopback is allowed without --allow-remote", file=sys.stderr)
        return 2
    return asyncio.run(_serve(args))


async def _serve(args: argparse.Namespace) -> int:
    app = Application(AppPaths.resolve(args.data_dir), runtime=args.runtime)
    await app.start()
    server = ServerMode(app, host=args.host, port=args.port, token=args.token)
    try:
        await server.start()
    except OSError as exc:
        await app.stop()
        print(f"Cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"Video Downloader Pro is serving at {server.url}", flush=True)
    stop = asyncio.Event()
    stop_watching = on_interrupt(asyncio.get_running_loop(), stop.set)
    try:
        await stop.wait()
    finally:
        stop_watching()
    await server.stop()
    await app.stop()  # pauses running downloads so they resume next time
    return 0
