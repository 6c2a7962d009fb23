"""System and utility commands (original-contract.md §2.5), with real figures and real folders."""

from __future__ import annotations

import base64
import binascii
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Optional

import psutil

from ... import __version__
from ...contract import FilePathArgs, LogEventArgs, NetworkSpeed, NoArgs, PathArgs, StageFileArgs, SystemInfo
from ...contract.commands import MAX_STAGED_BYTES
from ...engines.naming import sanitize_filename
from ...errors import CommandError
from ..registry import command

MAX_LOG_MESSAGE = 4000
_net_sample: dict[str, float] = {}


def _opener() -> list[str]:
    """The platform's "open this" program; VDP_OPENER overrides it (tests, unusual desktops)."""
    override = os.environ.get("VDP_OPENER")
    if override:
        return [override]
    if sys.platform == "win32":
        return ["explorer"]
    if sys.platform == "darwin":
        return ["open"]
    found = shutil.which("xdg-open")
    if not found:
        raise CommandError("System error: No program to open folders was found (install xdg-utils)")
    return [found]


def _open(target: Path, *, select: bool = False, as_is: bool = False) -> None:
    """Open `target`'s folder (selecting it where the platform can), or with `as_is` the file itself."""
    argv = _opener()
    if as_is:
        argv = [*argv, str(target)]
    elif select and sys.platform == "win32":
        argv = [*argv, f"/select,{target}"]
    elif select and sys.platform == "darwin":
        argv = [*argv, "-R", str(target)]
    else:
        argv = [*argv, str(target if target.is_dir() else target.parent)]
    try:
        subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    except OSError as exc:
        raise CommandError(f"System error: Cannot open {target}: {exc.strerror}") from None


def _network_speed() -> NetworkSpeed:
    counters = psutil.net_io_counters()
    now = time.monotonic()
    last = dict(_net_sample)
    _net_sample.update(t=now, rx=counters.bytes_recv, tx=counters.bytes_sent)
    if not last or now <= last["t"]:
        return NetworkSpeed(download=0.0, upload=0.0)
    span = now - last["t"]
    return NetworkSpeed(download=(counters.bytes_recv - last["rx"]) / span, upload=(counters.bytes_sent - last["tx"]) / span)


@command("get_system_info")
async def get_system_info(app: Any, _: NoArgs) -> SystemInfo:
    folder = Path(app.config.download.output_directory)
    probe = folder if folder.exists() else app.paths.root
    return SystemInfo(
        cpu_usage=psutil.cpu_percent(interval=None), memory_usage=psutil.virtual_memory().percent,
        disk_usage=psutil.disk_usage(str(probe)).percent, network_speed=_network_speed(),
        active_downloads=app.runtime.stats().active_downloads,
    )


@command("start_system_monitor")
async def start_system_monitor(app: Any, _: NoArgs) -> None:
    _network_speed()  # the first sample, so the next get_system_info reports a real rate


@command("stop_system_monitor")
async def stop_system_monitor(app: Any, _: NoArgs) -> None:
    _net_sample.clear()


@command("open_download_folder")
async def open_download_folder(app: Any, _: NoArgs) -> None:
    folder = Path(app.config.download.output_directory).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    _open(folder)


def _reveal(path: str) -> None:
    target = Path(path).expanduser()
    if not target.exists():
        raise CommandError(f"System error: File does not exist: {path}")
    _open(target, select=True)


@command("show_in_folder", FilePathArgs)
async def show_in_folder(app: Any, args: FilePathArgs) -> None:
    _reveal(args.file_path)


@command("reveal_path_in_folder", PathArgs)
async def reveal_path_in_folder(app: Any, args: PathArgs) -> None:
    _reveal(args.path)


@command("open_path", PathArgs)
async def open_path(app: Any, args: PathArgs) -> None:
    """Open a downloaded file with the program the system uses for it."""
    target = Path(args.path).expanduser()
    if not target.exists():
        raise CommandError(f"System error: File does not exist: {args.path}")
    _open(target, as_is=True)


@command("select_output_directory")
async def select_output_directory(app: Any, _: NoArgs) -> str:
    if app.dialogs is not None:
        chosen = await _in_thread(app.dialogs.choose_folder, app.config.download.output_directory)
        if chosen:
            return chosen
    return str(Path.home() / "Downloads")


@command("select_import_file")
async def select_import_file(app: Any, _: NoArgs) -> Optional[str]:
    if app.dialogs is None:
        raise CommandError("System error: File dialogs exist only in the desktop app; type the file's path instead")
    return await _in_thread(app.dialogs.choose_file, ["Spreadsheets (*.csv;*.tsv;*.txt;*.xlsx;*.xls;*.ods)"])


@command("stage_import_file", StageFileArgs)
async def stage_import_file(app: Any, args: StageFileArgs) -> str:
    """A sheet dropped on (or picked in) the page arrives as bytes; it is kept in the data dir and its path returned,
    so the import commands read it like any other file. Works the same in the window and in server mode."""
    try:
        content = base64.b64decode(args.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise CommandError("Invalid file content: not base64") from None
    if len(content) > MAX_STAGED_BYTES:
        raise CommandError(f"The file is larger than {MAX_STAGED_BYTES >> 20} MiB: open it with Browse or type its path")
    folder = app.paths.root / "imports"
    folder.mkdir(exist_ok=True)
    target = folder / f"{uuid.uuid4().hex[:8]}-{sanitize_filename(args.name, fallback='sheet.csv')}"
    target.write_bytes(content)
    return str(target)


@command("read_clipboard_text")
async def read_clipboard_text(app: Any, _: NoArgs) -> str:
    reader = getattr(app.dialogs, "clipboard_text", None)
    if reader is None:
        raise CommandError("System error: The clipboard can only be read by the desktop app; paste with Ctrl+V")
    return await _in_thread(reader) or ""


@command("log_frontend_event", LogEventArgs)
async def log_frontend_event(app: Any, args: LogEventArgs) -> None:
    message = args.message if len(args.message) <= MAX_LOG_MESSAGE else args.message[:MAX_LOG_MESSAGE] + "..."
    level = (args.level or "info").lower()[:16]
    stamp = time.strftime("%Y-%m-%d %H:%M:%S") + f".{int(time.time() * 1000) % 1000:03d}"
    line = f"[{stamp}][{level}] {message}".replace("\r", " ").replace("\n", " ") + "\n"
    with open(app.paths.logs / "frontend.log", "a", encoding="utf-8") as handle:
        handle.write(line)


@command("get_app_info")
async def get_app_info(app: Any, _: NoArgs) -> dict[str, Any]:
    return {"version": __version__, "runtime": app.runtime_name, "data_dir": str(app.paths.root),
            "desktop": app.dialogs is not None, "config_problem": app.settings.problem}


async def _in_thread(fn: Any, *args: Any) -> Any:
    import asyncio

    return await asyncio.to_thread(fn, *args)


