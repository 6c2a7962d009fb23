"""Turning finished part files into the output: concatenation in order, then a unique name in the output folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Mapping, Sequence

from ...contract import ErrorCode
from ...errors import VdpError
from ..base import TransferInterrupted
from ._names import reserve_unique
from ._workdir import WorkDir

_COPY_BUFFER = 4 * 1024 * 1024


def concatenate(
    work: WorkDir, order: Sequence[int], sizes: Mapping[int, int], target: Path, stopped: Callable[[], bool]
) -> None:
    """Write the parts in `order` into `target` and fsync it. Blocking: run it in a thread.

    Every part must be present with its recorded size, so the result can never have a hole.
    """
    with open(target, "wb") as out:
        for index in order:
            if stopped():
                raise TransferInterrupted("stopped while assembling the output")
            start = out.tell()
            with open(work.part(index), "rb") as part:
                shutil.copyfileobj(part, out, _COPY_BUFFER)
            if out.tell() - start != sizes[index]:
                raise VdpError(ErrorCode.SIZE_MISMATCH, f"Part file {work.part(index).name} changed on disk")
        out.flush()
        os.fsync(out.fileno())


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def move_unique(source: Path, folder: Path, stem: str, extension: str) -> Path:
    """Move `source` to `folder/stem.ext`, or `stem (n).ext` when taken; never replacing another file."""
    target = reserve_unique(folder, stem, extension)
    try:
        os.replace(source, target)
    except OSError:
        target.unlink(missing_ok=True)
        raise
    return target
