"""Where the app keeps its data (`--data-dir`, else `VDP_DATA_DIR`, else the platform's user data folder), and
what may be a download folder: absolute, never the working directory, never a filesystem root."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AppPaths:
    root: Path

    @classmethod
    def resolve(cls, data_dir: Optional[str] = None) -> "AppPaths":
        chosen = data_dir or os.environ.get("VDP_DATA_DIR") or _platform_data_dir()
        from .storage.faults import create_data_dir  # here: the contract (which storage.faults needs) imports paths

        root = Path(chosen).expanduser().resolve()
        create_data_dir(root)  # or a clear refusal (a read-only parent), not a traceback
        return cls(root)

    @property
    def database(self) -> Path:
        return self.root / "tasks.sqlite"

    @property
    def config(self) -> Path:
        return self.root / "config.json"

    @property
    def logs(self) -> Path:
        path = self.root / "logs"
        path.mkdir(exist_ok=True)
        return path

    @property
    def window_state(self) -> Path:
        return self.root / "window.json"


def _platform_data_dir() -> str:
    from platformdirs import user_data_dir  # only needed without --data-dir / VDP_DATA_DIR

    return user_data_dir("video-downloader-pro", "vdp")


# -- download folders ----------------------------------------------------------------------------------

DOWNLOAD_SUBFOLDER = "Video Downloader Pro"


def default_download_folder() -> str:
    """<the user's Downloads folder>/Video Downloader Pro, absolute; never the working directory."""
    try:
        from platformdirs import user_downloads_dir

        downloads = Path(user_downloads_dir())
    except Exception:  # platformdirs guesses from the environment; a broken one must not stop the app
        downloads = Path()
    if not downloads.is_absolute():
        downloads = Path.home() / "Downloads"
    return str(downloads / DOWNLOAD_SUBFOLDER)


def download_folder_problem(text: str) -> Optional[str]:
    """Why `text` cannot be a download folder (empty, NUL, relative, a filesystem root), or None when it can."""
    if not text or not text.strip():
        return "The download folder is empty: choose a folder"
    if "\x00" in text:
        return "The download folder contains a NUL character"
    expanded = os.path.expanduser(text)
    if not os.path.isabs(expanded):
        return f"The download folder must be an absolute path (such as {default_download_folder()}), not {text!r}"
    normal = Path(os.path.normpath(expanded))
    if normal == Path(normal.anchor):
        return f"The download folder cannot be the root of a drive ({text})"
    return None


def absolute_download_folder(text: str) -> str:
    """`text` as it is stored: `~` expanded, `.`/`..` collapsed (links are not resolved). Raises ValueError with
    the reason for a folder no download may use."""
    problem = download_folder_problem(text)
    if problem:
        raise ValueError(problem)
    return os.path.normpath(os.path.expanduser(text))


def resolve_stored_folder(text: str, what: str) -> str:
    """A folder read from storage written by an older version, which kept it relative to the working directory
    of the time (unknown now): resolved once against the home folder, and said so in the log."""
    if not text or "\x00" in text or os.path.isabs(os.path.expanduser(text)):
        return text
    resolved = os.path.normpath(Path.home() / text)
    log.warning("%s %r was relative to an unknown working directory; it is now %s", what, text, resolved)
    return resolved


def with_absolute_download_folder(raw: object, what: str) -> object:
    """A config document (parsed JSON) from an older version with its relative download folder made absolute
    (`resolve_stored_folder`), so it loads instead of being refused; anything else is returned unchanged."""
    download = raw.get("download") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(download, dict):
        return raw
    folder = download.get("output_directory")
    if not isinstance(folder, str):
        return raw
    resolved = resolve_stored_folder(folder, what)
    return raw if resolved == folder else {**raw, "download": {**download, "output_directory": resolved}}


@dataclass(frozen=True)
class FolderState:
    path: str
    exists: bool
    writable: bool
    problem: Optional[str]


def inspect_download_folder(text: str) -> FolderState:
    """Whether downloads can go to `text`: a valid folder that exists and is writable, or can be created."""
    try:
        path = Path(absolute_download_folder(text))
    except ValueError as problem:
        return FolderState(text, False, False, str(problem))
    existing = next(p for p in (path, *path.parents) if p.exists())  # the root always exists
    is_dir = existing.is_dir()
    if existing == path and not is_dir:
        return FolderState(str(path), True, False, f"{path} is a file, not a folder")
    writable = is_dir and os.access(existing, os.W_OK | os.X_OK)
    if not writable:
        where = "it" if existing == path else f"{existing}, where it would be created,"
        return FolderState(str(path), existing == path, False, f"{path}: {where} is not writable")
    return FolderState(str(path), existing == path, True, None)
