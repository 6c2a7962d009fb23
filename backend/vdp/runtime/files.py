"""What both runtimes do with an engine's files and checkpoints (v2 and the legacy runtime share these).

The app deletes only what it wrote itself. Which files those are is recorded here, server-side: the partial files
and work folders an engine names in its checkpoint are stored as absolute paths (`OWNED_PATHS`, in the resume
metadata), and the final file is `task.file_path` of a *Completed* task, which only the runtime sets (from the
engine's result; a client-sent `file_path` is dropped when a task is added). Nothing a client sends (a task's
`output_path`, an argument) ever names a file to delete.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import stat
from pathlib import Path
from typing import Any, Iterable, Optional

from ..contract import TaskStatus, VideoTask
from ..engines.base import PARTIAL_PATHS, ResumeState
from ..paths import resolve_stored_folder
from ..storage.repository import TaskRepository

log = logging.getLogger(__name__)

OWNED_PATHS = "owned_paths"
"""ResumeState.meta key: absolute paths of the partial files and work folders the engine created."""


async def save_checkpoint(repo: TaskRepository, task: VideoTask, state: ResumeState) -> None:
    """Persist what the engine says is durable, in a statement of its own (v2 batches them: `checkpoint_row`)."""
    await repo.save_checkpoints([checkpoint_row(task, state)])


def checkpoint_row(task: VideoTask, state: ResumeState) -> tuple[VideoTask, ResumeState]:
    """The task as its row stores it, never claiming more bytes than the engine fsynced, and the resume state with
    the partial files' absolute paths."""
    return (task.model_copy(update={"downloaded_size": state.durable_bytes}),
            ResumeState(with_owned_paths(state.meta, Path(task.output_path)), state.chunks))


def with_owned_paths(meta: dict[str, Any], output_dir: Path) -> dict[str, Any]:
    """The engine's metadata plus the absolute paths of the partial files it names, joined to the folder it was
    writing into (a later change of the task's folder must not make them point at someone else's files)."""
    names = [name for name in meta.get(PARTIAL_PATHS, []) if _plain_name(name)]
    owned = [os.path.join(os.path.abspath(output_dir), name) for name in names]
    kept = [path for path in meta.get(OWNED_PATHS, []) if isinstance(path, str) and path not in owned]
    return {**meta, OWNED_PATHS: kept + owned} if owned or kept else meta


def make_folders_absolute(tasks: Iterable[VideoTask]) -> list[VideoTask]:
    """Tasks stored by an older version with a folder relative to its working directory (unknown now): resolved
    once against the home folder (and logged), so a restart elsewhere never starts them again from byte 0.
    Returns the tasks changed, for the caller to store."""
    changed = []
    for task in tasks:
        resolved = resolve_stored_folder(task.output_path, f"The folder of task {task.id}")
        if resolved != task.output_path:
            task.output_path = resolved
            changed.append(task)
    return changed


async def discard_partial(repo: TaskRepository, task: VideoTask) -> None:
    """Delete the engine's partial files and work folders and forget the resume map."""
    resume = await repo.load_resume(task.id)
    for path in owned_partials(resume.meta, Path(task.output_path)):
        await asyncio.to_thread(delete_owned, path)  # off the loop: an HLS work folder is thousands of unlinks
    await repo.clear_resume(task.id)
    task.downloaded_size, task.progress = 0, 0.0


def owned_partials(meta: dict[str, Any], output_dir: Path) -> list[Path]:
    """The recorded absolute paths; a checkpoint written before they were recorded names plain file names only,
    which are taken inside the task's folder (never a path with a separator, never `..`)."""
    recorded = [Path(p) for p in meta.get(OWNED_PATHS, []) if isinstance(p, str) and os.path.isabs(p)]
    if recorded:
        return recorded
    return [output_dir / name for name in meta.get(PARTIAL_PATHS, []) if _plain_name(name)]


def final_file(task: VideoTask) -> Optional[Path]:
    """The file a completed download produced, as the runtime recorded it; None for any other task."""
    if task.status != TaskStatus.COMPLETED or not task.file_path or not os.path.isabs(task.file_path):
        return None
    return Path(task.file_path)


def delete_final_file(task: VideoTask) -> None:
    """Remove with "delete file": the completed download's own file, and only if it is still a regular file."""
    path = final_file(task)
    if path is not None:
        _unlink_regular(path)


def delete_owned(path: Path) -> None:
    """Delete one recorded partial file or work folder. A symbolic link put in its place is removed, never
    followed; a device, FIFO or socket is left alone."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("cannot inspect %s: %s", path, exc.strerror)
        return
    if stat.S_ISDIR(info.st_mode):
        shutil.rmtree(path, ignore_errors=True)  # rmtree never follows links inside the folder
    elif stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
        _unlink(path)
    else:
        log.warning("refusing to delete %s: not a regular file or folder", path)


def owned_files(tasks: Iterable[VideoTask]) -> set[Path]:
    """Every completed download's final file (what `open_path` may open)."""
    return {path for task in tasks if (path := final_file(task)) is not None}


def _unlink_regular(path: Path) -> None:
    try:
        info = os.lstat(path)
    except OSError:
        return
    if stat.S_ISREG(info.st_mode):
        _unlink(path)
    else:
        log.warning("refusing to delete %s: no longer the regular file the download wrote", path)


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("cannot delete %s: %s", path, exc.strerror)


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\\" not in name \
        and "\x00" not in name
