"""HTTP for the HLS engine: bounded small fetches (playlists, keys), and quick retries. What an answer
means is read by `engines/responses.py`, shared with the HTTP engine."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Optional, TypeVar

import httpx

from ...contract import ErrorCode
from ...errors import VdpError
from ..base import RetryBudget
from ..request_errors import error_for_exception
from ..request_path import RequestPath
from ..responses import error_for_status

T = TypeVar("T")

# Worth another try of the same segment: the runtime's retryable codes, plus a short body (CDNs recover).
_RETRY_CODES = frozenset(
    {ErrorCode.NETWORK, ErrorCode.TIMEOUT, ErrorCode.SERVER_ERROR, ErrorCode.RATE_LIMITED, ErrorCode.SIZE_MISMATCH,
     ErrorCode.PROTOCOL_ERROR}
)
_MAX_BACKOFF = 30.0


async def fetch_small(
    requests: RequestPath, url: str, *, cookies: httpx.Cookies, limit: int, what: str, oversize: ErrorCode
) -> tuple[bytes, str]:
    """GET a playlist or key whole, refusing more than `limit` bytes. Returns (body, final URL after redirects)."""
    try:
        async with requests.stream(url, cookies=cookies) as response:
            if response.status_code >= 400:
                raise error_for_status(response, what)
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise VdpError(oversize, f"{what} is larger than {limit} bytes")
            body = bytearray()
            async for piece in response.aiter_bytes():
                body += piece
                if len(body) > limit:
                    raise VdpError(oversize, f"{what} is larger than {limit} bytes")
            return bytes(body), str(response.request.url)
    except httpx.HTTPError as exc:
        raise error_for_exception(exc, what) from None


class QuickRetries:
    """Quick retries of one request (a segment, a playlist, a key) inside one attempt of the task, so the segments
    already fetched and the ones in flight are kept. Each retry is one of the task's retries (`RetryBudget`, shared
    with the runtime), announced as `part retry n/N`; when the budget is spent the request's error ends the attempt
    and the runtime, finding the budget spent too, does not retry on top.

    Several segments in flight usually fail together (the server hiccups once): a failure while another part is
    already waiting out its pause joins that pause instead of spending a retry of its own."""

    def __init__(self, budget: RetryBudget, backoff: float, warn: Callable[[ErrorCode, str], None]) -> None:
        self._budget = budget
        self._backoff = backoff  # first pause in seconds; doubles with each retry of the same request
        self._warn = warn
        self._paused_until = 0.0  # loop time the pause of the retry under way ends

    async def run(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run `operation`, again after a pause while it fails with a retryable code and a retry is left."""
        attempt = 1
        while True:
            try:
                return await operation()
            except VdpError as err:
                delay = self._pause_for(err, attempt)
                if delay is None:
                    if attempt == 1:
                        raise
                    raise VdpError(
                        err.code, f"{err.message} (after {attempt} attempts)", retry_after=err.retry_after
                    ) from None
            await asyncio.sleep(delay)
            attempt += 1

    def _pause_for(self, err: VdpError, attempt: int) -> Optional[float]:
        """Seconds to wait before trying again, or None to give up."""
        if err.code not in _RETRY_CODES:
            return None
        now = asyncio.get_running_loop().time()
        if now < self._paused_until:
            return self._paused_until - now  # the same hiccup: the retry already spent covers this part too
        retry = self._budget.take()
        if retry is None:
            return None
        delay = err.retry_after if err.retry_after is not None else self._backoff * 2 ** (attempt - 1)
        delay = min(delay, _MAX_BACKOFF)
        self._paused_until = now + delay
        self._warn(ErrorCode.RETRYING, f"part retry {retry}/{self._budget.limit} in {delay:.1f}s: {err.message}")
        return delay
