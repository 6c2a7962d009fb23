"""System and utility commands (docs/contract.md, "System commands"), with real figures and real folders."""

from __future__ import annotations

import asyncio
import base64
import binascii
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Optional

import psutil

from ... import __version__
from ...contract import FilePathArgs, LogEventArgs, NetworkSpeed, NoArgs, PathArgs, StageFileArgs, SystemInfo
from ...contract.commands import MAX_STAGED_BYTES
from ...engines.naming import sanitize_filename
from ...errors import ErrorCode, ErrorKind, VdpError
from ...paths import default_download_folder
from ..context import AppContext
from ..openable import file_to_open, path_to_reveal
from ..registry import command

MAX_LOG_MESSAGE = 4000
OPENER_WAIT = 10.0  # seconds
MAX_OPENER_ERROR = 4000  # bytes of the opener's error output kept in the answer
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
        raise VdpError(ErrorCode.SYSTEM_ERROR,
                       "No program to open folders was found (install xdg-utils)", kind=ErrorKind.SYSTEM)
    return [found]


async def _open(target: Path, *, select: bool = False, as_is: bool = False) -> None:
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
    await asyncio.to_thread(_run_opener, argv, target, _failure_prefix(select))


def _status_says_nothing(opener: str) -> bool:
    """Explorer exits with 1 whether or not it opened the folder: only a failure to start it is a failure."""
    return sys.platform == "win32" and opener == "explorer"


def _failure_prefix(select: bool) -> str:
    """How the original names a failed opener, per platform (docs/contract.md, `open_download_folder`)."""
    if sys.platform == "win32":
        return "Explorer select command failed" if select else "Explorer command failed"
    if sys.platform == "darwin":
        return "Open reveal command failed" if select else "Open command failed"
    return "xdg-open command failed"  # Linux shows a file by opening its folder, with the same words


def _run_opener(argv: list[str], target: Path, failure_prefix: str) -> None:
    """Run the opener and wait for it, as the original did, but at most OPENER_WAIT: an opener that is still running
    then (a file manager started in its place) has opened. Its error output goes to a file, not a pipe, so a program
    it leaves running cannot hold the wait open."""
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=errors,
                                       start_new_session=True)
        except OSError as exc:
            raise VdpError(ErrorCode.SYSTEM_ERROR, f"Cannot open {target}: {exc.strerror}",
                           kind=ErrorKind.SYSTEM) from None
        try:
            status = process.wait(timeout=OPENER_WAIT)
        except subprocess.TimeoutExpired:
            return
        if status != 0 and not _status_says_nothing(argv[0]):
            errors.seek(0)
            stderr = errors.read(MAX_OPENER_ERROR).decode("utf-8", errors="replace")
            raise VdpError(ErrorCode.SYSTEM_ERROR, f"{failure_prefix}: {stderr}", kind=ErrorKind.SYSTEM)


def _network_speed() -> NetworkSpeed:
    counters = psutil.net_io_counters()
    now = time.monotonic()
    last = dict(_net_sample)
    _net_sample.update(t=now, rx=counters.bytes_recv, tx=counters.bytes_sent)
    if not last or now <= last["t"]:
        return NetworkSpeed(download=0.0, upload=0.0)
    span = now - last["t"]
    return NetworkSpeed(download=(counters.bytes_recv - last["rx"]) / span,
                        upload=(counters.bytes_sent - last["tx"]) / span)


@command("get_system_info")
async def get_system_info(app: AppContext, _: NoArgs) -> SystemInfo:
    folder = Path(app.config.download.output_directory)
    probe = folder if folder.exists() else app.paths.root
    return SystemInfo(
        cpu_usage=psutil.cpu_percent(interval=None), memory_usage=psutil.virtual_memory().percent,
        disk_usage=psutil.disk_usage(str(probe)).percent, network_speed=_network_speed(),
        active_downloads=app.runtime.stats().active_downloads,
    )


@command("start_system_monitor")
async def start_system_monitor(app: AppContext, _: NoArgs) -> None:
    _network_speed()  # the first sample, so the next get_system_info reports a real rate


@command("stop_system_monitor")
async def stop_system_monitor(app: AppContext, _: NoArgs) -> None:
    _net_sample.clear()


@command("open_download_folder")
async def open_download_folder(app: AppContext, _: NoArgs) -> None:
    folder = Path(app.config.download.output_directory).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    await _open(folder)


@command("show_in_folder", FilePathArgs)
async def show_in_folder(app: AppContext, args: FilePathArgs) -> None:
    await _open(path_to_reveal(app, args.file_path), select=True)


@command("reveal_path_in_folder", PathArgs)
async def reveal_path_in_folder(app: AppContext, args: PathArgs) -> None:
    await _open(path_to_reveal(app, args.path), select=True)


@command("open_path", PathArgs)
async def open_path(app: AppContext, args: PathArgs) -> None:
    """Open a downloaded file with the program the system uses for it (only the app's own downloads)."""
    await _open(file_to_open(app, args.path), as_is=True)


@command("select_output_directory")
async def select_output_directory(app: AppContext, _: NoArgs) -> str:
    if app.dialogs is not None:
        current = app.config.download.output_directory
        chosen = await asyncio.to_thread(app.dialogs.choose_folder, current)
        return chosen or current  # a cancelled dialog keeps the folder the user has, never resets it to the default
    return default_download_folder()


@command("select_import_file")
async def select_import_file(app: AppContext, _: NoArgs) -> Optional[str]:
    if app.dialogs is None:
        raise VdpError(ErrorCode.DESKTOP_ONLY,
                       "File dialogs exist only in the desktop app; type the file's path instead",
                       kind=ErrorKind.SYSTEM)
    return await asyncio.to_thread(app.dialogs.choose_file, ["Spreadsheets (*.csv;*.tsv;*.txt;*.xlsx;*.xls;*.ods)"])


@command("stage_import_file", StageFileArgs)
async def stage_import_file(app: AppContext, args: StageFileArgs) -> str:
    """A sheet dropped on (or picked in) the page arrives as bytes; it is kept in the data dir and its path returned,
    so the import commands read it like any other file. Works the same in the window and in server mode."""
    try:
        content = base64.b64decode(args.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise VdpError(ErrorCode.INVALID_ARGUMENT, "Invalid file content: not base64") from None
    if len(content) > MAX_STAGED_BYTES:
        raise VdpError(ErrorCode.FILE_TOO_LARGE,
                       f"The file is larger than {MAX_STAGED_BYTES >> 20} MiB: open it with Browse or type its path")
    folder = app.paths.root / "imports"
    folder.mkdir(exist_ok=True)
    target = folder / f"{uuid.uuid4().hex[:8]}-{sanitize_filename(args.name, fallback='sheet.csv')}"
    target.write_bytes(content)
    return str(target)


@command("read_clipboard_text")
async def read_clipboard_text(app: AppContext, _: NoArgs) -> str:
    reader = getattr(app.dialogs, "clipboard_text", None)
    if reader is None:
        raise VdpError(ErrorCode.DESKTOP_ONLY,
                       "The clipboard can only be read by the desktop app; paste with Ctrl+V", kind=ErrorKind.SYSTEM)
    return await asyncio.to_thread(reader) or ""


@command("log_frontend_event", LogEventArgs)
async def log_frontend_event(app: AppContext, args: LogEventArgs) -> None:
    message = args.message if len(args.message) <= MAX_LOG_MESSAGE else args.message[:MAX_LOG_MESSAGE] + "..."
    level = (args.level or "info").lower()[:16]
    stamp = time.strftime("%Y-%m-%d %H:%M:%S") + f".{int(time.time() * 1000) % 1000:03d}"
    line = f"[{stamp}][{level}] {message}".replace("\r", " ").replace("\n", " ") + "\n"
    with open(app.paths.logs / "frontend.log", "a", encoding="utf-8") as handle:
        handle.write(line)


@command("get_app_info")
async def get_app_info(app: AppContext, _: NoArgs) -> dict[str, Any]:
    return {"version": __version__, "runtime": app.runtime_name, "data_dir": str(app.paths.root),
            "desktop": app.dialogs is not None, "config_problem": app.settings.problem,
            "storage": app.repo.monitor.status().model_dump(mode="json")}
