"""The hidden work folder of one HLS transfer: one file per finished part, kept until the output is delivered."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..base import Chunk
from ..durability import fsync_folder


class WorkDir:
    def __init__(self, path: Path) -> None:
        self.path = path

    def part(self, index: int) -> Path:
        return self.path / f"{index:06d}.seg"

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

    def sync(self) -> None:
        """Make the renames into this folder durable."""
        fsync_folder(self.path)

    def verified(self, chunks: list[Chunk], part_count: int) -> list[Chunk]:
        """The checkpointed chunks whose part file is still here, whole. Anything else is fetched again."""
        kept: dict[int, Chunk] = {}
        for chunk in chunks:
            if not (0 <= chunk.index < part_count and chunk.start == 0 and chunk.complete):
                continue
            try:
                size = self.part(chunk.index).stat().st_size
            except OSError:
                continue
            if size == chunk.done:
                kept[chunk.index] = chunk
        return sorted(kept.values(), key=lambda c: c.index)
