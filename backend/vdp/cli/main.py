"""`vdp`: the desktop app, server mode, and headless commands over the same runtime and data dir."""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from typing import Callable, NoReturn, Optional

from ..redact import redact_logs
from ..storage.faults import StorageUnavailable


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vdp",
                                     description="Video Downloader Pro: batch downloads of files, HLS and video sites")
    parser.add_argument("--data-dir", help="where tasks and settings live (env VDP_DATA_DIR)")
    parser.add_argument("--runtime", choices=("v1", "v2"), help="orchestration runtime (env VDP_RUNTIME)")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="serve the UI and the command API over HTTP (no window)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0)
    serve.add_argument("--token", default=os.environ.get("VDP_TOKEN"))
    serve.add_argument("--allow-remote", action="store_true", help="permit binding an address other than loopback")

    get = sub.add_parser("get", help="download URLs headlessly")
    get.add_argument("urls", nargs="+")
    get.add_argument("-o", "--output", default=".", help="folder the files land in")
    get.add_argument("-j", "--jobs", type=int, default=4, help="downloads at once")
    get.add_argument("--connections", type=int, default=None, help="connections per download")
    get.add_argument("--json", action="store_true", help="print JSON-lines events instead of a progress display")

    imp = sub.add_parser("import", help="import a CSV/Excel sheet of links into the task list")
    imp.add_argument("file")
    imp.add_argument("-o", "--output", default=None, help="folder the files land in (default: the configured one)")
    imp.add_argument("--layout", choices=("flat", "by_column", "by_course"), default="by_course",
                     help="by_course: <专栏名称>/<NN 课程名称>.<ext> (default); by_column: <专栏名称>/ with the "
                          "server's names; flat: one folder")
    imp.add_argument("--start", action="store_true", help="start the sheet's downloads and wait for them")
    imp.add_argument("--json", action="store_true", help="with --start: JSON-lines events instead of progress bars")

    migrate = sub.add_parser("migrate", help="take over the original app's settings and tasks")
    migrate.add_argument("path", nargs="?", default=None, help="its storage folder (default: its usual place)")

    sub.add_parser("list", help="list the tasks in the data dir")
    sub.add_parser("health", help="print the runtime health report")

    window = sub.add_parser("desktop", help="open the desktop window (the default)")
    window.add_argument("--smoke-test", action="store_true", help="start, invoke one command, exit (packaging check)")
    return parser


HEADLESS_DOWNLOADS = ("get", "import")  # they run the app on the data dir, and stop it, before they return


def script() -> NoReturn:
    """The `vdp` command (console script, `python -m vdp`, the frozen app). A headless download command that has
    ended has saved, synced and closed everything it touched: it leaves at once, without the interpreter's teardown
    (joining idle threads, freeing every module), which took some 50 ms of a short `vdp get`."""
    args = _parser().parse_args()
    code = _run(args)
    if args.command in HEADLESS_DOWNLOADS:
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a reader that went away (`vdp get ... | head`): nothing more to say
                pass
        os._exit(code)
    sys.exit(code)


def main(argv: Optional[list[str]] = None) -> int:
    return _run(_parser().parse_args(argv))


def _run(args: argparse.Namespace) -> int:
    # `vdp get` shows every file's progress and status itself: its console gets warnings and errors, not a log
    # line per finished file (-v shows everything).
    quiet = logging.WARNING if args.command == "get" else logging.INFO
    logging.basicConfig(level=logging.DEBUG if args.verbose else quiet,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    redact_logs()
    command = args.command or "desktop"
    if command == "desktop" and not _has_display():
        print("No display found: starting server mode instead of a window.", file=sys.stderr)
        command = "serve"
        args.host, args.port, args.token, args.allow_remote = "127.0.0.1", 0, os.environ.get("VDP_TOKEN"), False
    try:
        return _load(command)(args)
    except StorageUnavailable as exc:  # the task list cannot be used (and was left untouched): say why, no traceback
        print(f"Video Downloader Pro cannot start: {exc}", file=sys.stderr)
        return 3


def _load(command: str) -> Callable[[argparse.Namespace], int]:
    """The entry point of `command`, imported here. Nearly everything the imports create lives until the process
    exits, yet the collector would walk it again and again while importing and once more at exit (≈ 0.15 s of a
    short `vdp get`): collection waits until the imports are done, and then leaves their objects alone."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        if command == "serve":
            from .serve import run_serve

            return run_serve
        if command == "get":
            from .get import run_get

            return run_get
        if command == "import":
            from .import_cmd import run_import

            return run_import
        if command == "migrate":
            from .migrate import run_migrate

            return run_migrate
        if command in ("list", "health"):
            from .inspect import run_inspect

            return lambda args: run_inspect(args, command)
        from ..desktop.shell import run_desktop

        return lambda args: run_desktop(args, smoke_test=getattr(args, "smoke_test", False))
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
