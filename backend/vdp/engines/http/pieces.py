"""The piece map of a segmented download: which byte ranges exist, who is fetching them, what is done.

All mutation happens on the event loop thread between awaits, so no locks are needed.
"""

from __future__ import annotations

from typing import Optional

from ..base import Chunk

SPLIT_ALIGN = 64 * 1024


class PieceMap:
    def __init__(self, chunks: list[Chunk], min_split: int) -> None:
        self.chunks = sorted(chunks, key=lambda c: c.start)
        self.min_split = min_split
        self.owner: dict[int, int] = {}  # chunk index -> connection id
        self.request_end: dict[int, Optional[int]] = {}  # connection id -> last byte its open request covers

    @property
    def done(self) -> int:
        return sum(c.done for c in self.chunks)

    @property
    def complete(self) -> bool:
        return all(c.complete for c in self.chunks)

    def snapshot(self) -> list[Chunk]:
        return [Chunk(c.index, c.start, c.end, c.done) for c in self.chunks]

    def take(self, conn: int) -> Optional[Chunk]:
        """Work for an idle connection: an unowned unfinished piece, else half of the largest one in flight."""
        for chunk in self.chunks:
            if not chunk.complete and chunk.index not in self.owner:
                self.owner[chunk.index] = conn
                return chunk
        victim = max(
            (c for c in self.chunks if c.index in self.owner and c.end is not None and not c.complete),
            key=lambda c: c.end - (c.start + c.done) + 1,  # type: ignore[operator]
            default=None,
        )
        if victim is None or victim.end is None:
            return None
        position = victim.start + victim.done
        remaining = victim.end - position + 1
        if remaining < 2 * self.min_split:
            return None
        middle = position + remaining // 2
        middle -= middle % SPLIT_ALIGN
        if middle <= position:
            return None
        new = Chunk(index=max(c.index for c in self.chunks) + 1, start=middle, end=victim.end, done=0)
        victim.end = middle - 1
        self.chunks.append(new)
        self.chunks.sort(key=lambda c: c.start)
        self.owner[new.index] = conn
        return new

    def release(self, chunk: Chunk) -> None:
        """Give a piece back; when the neighbour before it is still being read by an open-ended request that covers
        it, the neighbour simply reads on (one-connection servers keep working)."""
        self.owner.pop(chunk.index, None)
        if chunk.done or chunk.end is None:
            return
        before = next((c for c in self.chunks if c.end is not None and c.end + 1 == chunk.start), None)
        if before is None or before.index not in self.owner:
            return
        covered = self.request_end.get(self.owner[before.index], -1)
        if covered is None or covered >= chunk.end:
            before.end = chunk.end
            self.chunks.remove(chunk)

    def finish(self, chunk: Chunk) -> None:
        self.owner.pop(chunk.index, None)

    def reset(self, total: Optional[int]) -> None:
        self.chunks = [Chunk(0, 0, None if total is None else total - 1, 0)]
        self.owner.clear()
        self.request_end.clear()
