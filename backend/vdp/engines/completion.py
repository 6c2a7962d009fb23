"""Work that must not be cut in half by a pause: a caller cancelled meanwhile waits for it to end."""

from __future__ import annotations

import asyncio
from typing import Awaitable, TypeVar

T = TypeVar("T")


async def to_completion(work: Awaitable[T]) -> T:
    """Await `work`; if the caller is cancelled first, `work` still runs to its end before the cancellation goes on.

    A thread cannot be stopped, and a checkpoint half done would race the next one: after this returns or raises,
    whatever `work` did is done, so the caller's cleanup can rely on it. An error of `work` met while cancelling is
    dropped here (the caller is being cancelled anyway; a lasting fault shows again next time).
    """
    job = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(job)
    except asyncio.CancelledError:
        await asyncio.wait([job])
        if not job.cancelled():
            job.exception()  # retrieved, so asyncio does not report it as never retrieved
        raise
