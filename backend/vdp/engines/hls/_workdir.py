"""The hidden work folder of one HLS transfer: a file per finished part until it is appended to its track file,
and the track files, kept until the output is delivered."""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence, Set
from pathlib import Path

from ..base import Chunk
from ..durability import fsync_folder


class WorkDir:
    def __init__(self, path: Path) -> None:
        self.path = path

    def part(self, index: int) -> Path:
        return self.path / f"{index:06d}.seg"

    def track(self, kind: str, extension: str) -> Path:
        """The file a track's parts are appended to, in order."""
        return self.path / f"{kind}{extension}"

    def partial(self, index: int) -> Path:
        return self.path / f"{index:06d}.part"

    def create(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)

    def clear(self) -> None:
        """Start over: a resume no longer matches, so nothing in here may be trusted."""
        self.remove()
        self.create()

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def discard(self, indices: Iterable[int]) -> None:
        """Delete the part files of parts that are safely inside a track file."""
        for index in indices:
            self.part(index).unlink(missing_ok=True)

    def sync(self) -> None:
        """Make the renames into this folder durable."""
        fsync_folder(self.path)

    def verified(self, chunks: Sequence[Chunk], part_count: int, appended: Set[int]) -> list[Chunk]:
        """The checkpointed chunks that are `appended` to a track file or whose part file is still here, whole.
        Anything else is fetched again."""
        kept: dict[int, Chunk] = {}
        for chunk in chunks:
            if not (0 <= chunk.index < part_count and chunk.start == 0 and chunk.complete):
                continue
            if chunk.index in appended:
                kept[chunk.index] = chunk
                continue
            try:
                size = self.part(chunk.index).stat().st_size
            except OSError:
                continue
            if size == chunk.done:
                kept[chunk.index] = chunk
        return sorted(kept.values(), key=lambda c: c.index)
