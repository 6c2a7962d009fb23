"""Long lists worked through a slice at a time, with the event loop free between slices.

One shape for every place that walks thousands of tasks on the loop (converting a 200,000-task answer, encoding it,
delivering a backlog of events, checking an add): done in one go, such a walk held the loop for seconds, and every
download's progress and every UI request waited behind it.
"""

from __future__ import annotations

import asyncio
from typing import AsyncIterator, Sequence, TypeVar

T = TypeVar("T")


async def loop_slices(items: Sequence[T], size: int) -> AsyncIterator[Sequence[T]]:
    """Consecutive slices of at most `size` items; the loop runs other work before every slice but the first."""
    for start in range(0, len(items), size):
        if start:
            await asyncio.sleep(0)
        yield items[start:start + size]
