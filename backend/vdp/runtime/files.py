"""What both runtimes do with an engine's files and checkpoints (v2 and the legacy runtime share these)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Optional

from ..contract import VideoTask
from ..engines.base import PARTIAL_PATHS, ResumeState
from ..storage.repository import TaskRepository

log = logging.getLogger(__name__)


async def save_checkpoint(repo: TaskRepository, task: VideoTask, state: ResumeState) -> None:
    """Persist what the engine says is durable; the task row never claims more than the bytes it fsynced."""
    await repo.save_checkpoint(task.model_copy(update={"downloaded_size": state.durable_bytes}), state)


async def discard_partial(repo: TaskRepository, task: VideoTask) -> None:
    """Delete the engine's partial files and work folders and forget the resume map."""
    resume = await repo.load_resume(task.id)
    for relative in resume.meta.get(PARTIAL_PATHS, []):
        delete_inside(Path(task.output_path), relative)
    await repo.clear_resume(task.id)
    task.downloaded_size, task.progress = 0, 0.0


def delete_inside(folder: Path, relative: Optional[str]) -> None:
    """Delete a file or folder, but only when it lies inside `folder` (never follow a path out of it)."""
    if not relative:
        return
    base = folder.resolve()
    target = Path(relative).resolve() if Path(relative).is_absolute() else (folder / relative).resolve()
    if target == base or base not in target.parents:
        log.warning("refusing to delete %s: outside %s", target, base)
        return
    if target.is_dir():
        shutil.rmtree(target, ignore_errors=True)
    else:
        target.unlink(missing_ok=True)
