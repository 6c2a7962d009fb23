"""Turning finished part files into the output: appended in order to the track files, then delivered under a unique
name in the output folder."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path
from typing import BinaryIO, Mapping, Sequence

from ...contract import ErrorCode
from ...errors import VdpError
from ..base import Chunk
from ..durability import fsync_files
from ..portable_io import BINARY
from ._names import reserve_unique
from ._plan import Track
from ._workdir import WorkDir

_COPY_BUFFER = 4 * 1024 * 1024
_KERNEL_COPY_BYTES = 1 << 30
# copy_file_range refuses some file systems and pairs; the buffered copy then does the work.
_NO_KERNEL_COPY = frozenset({errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EPERM})


class Assembler:
    """Appends finished parts to their track files in output order while the download runs.

    Workers finish parts out of order, each into its own `.seg` file. At every checkpoint the in-order run of
    finished parts is appended to the track file (a kernel copy, in a thread), so the download delivers without a
    final copy of the whole stream and the work folder never holds the stream twice. A part's `.seg` file may be
    deleted once a committed checkpoint records the part inside the track file (`recorded()`); until then it is
    kept, so a crash at any moment leaves every claimed byte somewhere durable.
    """

    def __init__(self, work: WorkDir, tracks: Sequence[Track], positions: Mapping[str, Sequence[int]]) -> None:
        self._work = work
        self._tracks = tracks
        # Per track: how many entries of its order are in the track file, and the file's length.
        self._position = {t.kind: int(positions.get(t.kind, (0, 0))[0]) for t in tracks}
        self._length = {t.kind: int(positions.get(t.kind, (0, 0))[1]) for t in tracks}
        self._unsynced: set[str] = set()

    def track_file(self, track: Track) -> Path:
        return self._work.track(track.kind, track.extension)

    def recorded(self) -> dict[str, list[int]]:
        """For the checkpoint: per track, [entries appended, bytes]."""
        return {kind: [self._position[kind], self._length[kind]] for kind in self._position}

    def consumed(self) -> set[int]:
        """Parts no track needs as a `.seg` file any more: every occurrence in every order is appended."""
        needed = {index for t in self._tracks for index in t.order[self._position[t.kind]:]}
        return {index for t in self._tracks for index in t.order[: self._position[t.kind]]} - needed

    def complete(self) -> bool:
        return all(self._position[t.kind] == len(t.order) for t in self._tracks)

    def append(self, sizes: Mapping[int, int]) -> None:
        """Append, per track, the finished parts that come next in its order. Blocking: run it in a thread."""
        for track in self._tracks:
            position = self._position[track.kind]
            if position == len(track.order) or track.order[position] not in sizes:
                continue
            # Not O_APPEND: copy_file_range refuses an output opened for appending.
            fd = os.open(self.track_file(track), os.O_WRONLY | os.O_CREAT | BINARY, 0o644)
            with open(fd, "wb", buffering=0) as out:
                if out.seek(0, os.SEEK_END) != self._length[track.kind]:
                    raise VdpError(ErrorCode.SIZE_MISMATCH, f"{out.name} changed on disk while assembling")
                while position < len(track.order) and track.order[position] in sizes:
                    index = track.order[position]
                    with open(self._work.part(index), "rb", buffering=0) as part:
                        _append(part, out)
                    if out.tell() - self._length[track.kind] != sizes[index]:
                        name = self._work.part(index).name
                        raise VdpError(ErrorCode.SIZE_MISMATCH, f"Part file {name} changed on disk")
                    # Both at once, part by part: a later part that fails leaves them describing the file exactly.
                    position += 1
                    self._position[track.kind], self._length[track.kind] = position, out.tell()
                    self._unsynced.add(track.kind)

    def sync(self) -> None:
        """Make what was appended durable. Blocking."""
        for track in self._tracks:
            if track.kind in self._unsynced:
                fsync_files([self.track_file(track)])
        self._unsynced.clear()


def resume_parts(
    work: WorkDir, tracks: Sequence[Track], part_count: int, recorded: object, chunks: Sequence[Chunk]
) -> tuple[dict[str, list[int]], list[Chunk]]:
    """What a resume keeps: per track the appended prefix still on disk (its file truncated to exactly that), and
    the chunks that are inside it or whose `.seg` file is still whole. Blocking.

    A track file shorter than recorded (a disk that lost writes, a user who deleted it) keeps the whole parts that
    fit; the rest are fetched again.
    """
    sizes = {chunk.index: chunk.done for chunk in chunks}
    positions: dict[str, list[int]] = {}
    for track in tracks:
        claim = recorded.get(track.kind) if isinstance(recorded, dict) else None
        position, length = claim if isinstance(claim, list) and len(claim) == 2 else (0, 0)
        path = work.track(track.kind, track.extension)
        try:
            on_disk = path.stat().st_size
        except OSError:
            on_disk = 0
        kept, kept_length = 0, 0
        for index in track.order[: min(int(position), len(track.order))]:
            size = sizes.get(index)
            if size is None or kept_length + size > min(on_disk, int(length)):
                break
            kept, kept_length = kept + 1, kept_length + size
        if on_disk:
            os.truncate(path, kept_length)
        positions[track.kind] = [kept, kept_length]
    appended = Assembler(work, tracks, positions).consumed()
    return positions, work.verified(chunks, part_count, appended)


def _append(source: BinaryIO, out: BinaryIO) -> None:
    """Copy inside the kernel where the OS can (Linux copy_file_range: ~4x faster here), else through a buffer."""
    if hasattr(os, "copy_file_range"):
        try:
            while os.copy_file_range(source.fileno(), out.fileno(), _KERNEL_COPY_BYTES):
                pass
            return
        except OSError as exc:
            if exc.errno not in _NO_KERNEL_COPY:
                raise
    shutil.copyfileobj(source, out, _COPY_BUFFER)


def move_unique(source: Path, folder: Path, stem: str, extension: str) -> Path:
    """Move `source` to `folder/stem.ext`, or `stem (n).ext` when taken; never replacing another file."""
    target = reserve_unique(folder, stem, extension)
    try:
        os.replace(source, target)
    except OSError:
        target.unlink(missing_ok=True)
        raise
    return target
