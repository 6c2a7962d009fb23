"""Long lists worked through a slice at a time, with the event loop free between slices.

One shape for every place that walks thousands of tasks on the loop (converting a 200,000-task answer, encoding it,
delivering a backlog of events, checking an add): done in one go, such a walk held the loop for seconds, and every
download's progress and every UI request waited behind it.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Sequence, TypeVar

T = TypeVar("T")


async def loop_slices(items: Sequence[T], size: int) -> AsyncIterator[Sequence[T]]:
    """Consecutive slices of at most `size` items; the loop runs other work before every slice but the first."""
    for start in range(0, len(items), size):
        if start:
            await asyncio.sleep(0)
        yield items[start:start + size]


async def release_in_slices(items: list[Any], size: int) -> None:
    """Empty a long list `size` items at a time, the loop free between: freeing what only the list still holds is one
    call that holds the interpreter lock until it is done."""
    while items:
        del items[-size:]
        await asyncio.sleep(0)
