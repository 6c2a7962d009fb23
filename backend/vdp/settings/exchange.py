"""Settings files the user names (`export_config`, `import_config`): only regular files are read or replaced.

An export never writes into a device or FIFO (which could block forever), never follows a link, and never replaces
a file that is not itself a settings export unless the caller says so (`overwrite`): a typo must not cost the user
a document. It is written beside its target and renamed over it, so a failure leaves the old file whole.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

from ..contract import AppConfig
from ..errors import ErrorCode, ErrorKind, VdpError
from ..regular_file import NotRegularFile, describe_kind, read_regular

MAX_SETTINGS_BYTES = 1 << 20  # real settings files are a few KiB


def read_settings_file(source: Path) -> object:
    """The parsed JSON of a settings file to import."""
    try:
        data = read_regular(source, MAX_SETTINGS_BYTES)
    except FileNotFoundError:
        raise _config_error(ErrorCode.FILE_NOT_FOUND, f"Configuration file not found: {source}") from None
    except NotRegularFile as exc:
        raise _config_error(ErrorCode.INVALID_ARGUMENT, f"Cannot import {source}: {exc.strerror}") from None
    except OSError as exc:
        raise _config_error(ErrorCode.IO_ERROR, f"Cannot read {source}: {exc.strerror}") from None
    except ValueError as exc:
        raise _config_error(ErrorCode.FILE_TOO_LARGE, f"Invalid configuration file: {exc}") from None
    try:
        return json.loads(data.decode("utf-8"))
    except ValueError as exc:
        raise _config_error(ErrorCode.INVALID_CONFIG, f"Invalid configuration file: {exc}") from None


def write_settings_file(target: Path, text: str, *, overwrite: bool) -> None:
    """`text` as the file `target`, refusing to replace anything that is not a settings export (see above)."""
    _refuse_unsafe_target(target, overwrite)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise _config_error(ErrorCode.IO_ERROR, f"Cannot write {target}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)  # replaces a link itself, never what it points to
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise _config_error(ErrorCode.IO_ERROR, f"Cannot write {target}: {exc.strerror}") from None


def _refuse_unsafe_target(target: Path, overwrite: bool) -> None:
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _config_error(ErrorCode.IO_ERROR, f"Cannot write {target}: {exc.strerror}") from None
    if stat.S_ISLNK(mode):
        if overwrite:
            return
        raise _config_error(ErrorCode.INVALID_ARGUMENT,
                            f"{target} is a link; choose another name, or confirm replacing the link")
    if not stat.S_ISREG(mode):
        raise _config_error(ErrorCode.INVALID_ARGUMENT, f"Cannot write {target}: it is {describe_kind(mode)}")
    if not overwrite and not _is_settings_export(target):
        raise _config_error(ErrorCode.INVALID_ARGUMENT,
                            f"{target} exists and is not a settings export; choose another name, or confirm "
                            "overwriting it")


def _is_settings_export(path: Path) -> bool:
    """A JSON object whose keys are all sections of the settings, `download` among them."""
    try:
        raw = json.loads(read_regular(path, MAX_SETTINGS_BYTES).decode("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(raw, dict) and "download" in raw and set(raw) <= set(AppConfig.model_fields)


def _config_error(code: ErrorCode, message: str) -> VdpError:
    return VdpError(code, message, kind=ErrorKind.CONFIG)
