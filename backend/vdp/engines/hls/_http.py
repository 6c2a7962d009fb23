"""HTTP for the HLS engine: failures classified once into `VdpError`s, bounded small fetches, and retries."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone
from typing import Awaitable, Callable, Optional, TypeVar

import httpx

from ...contract import DownloadConfig, ErrorCode
from ...errors import VdpError
from ..request_errors import error_for_exception

T = TypeVar("T")

# Worth another try of the same segment: the runtime's retryable codes, plus a short body (CDNs recover).
_RETRY_CODES = frozenset(
    {ErrorCode.NETWORK, ErrorCode.TIMEOUT, ErrorCode.SERVER_ERROR, ErrorCode.RATE_LIMITED, ErrorCode.SIZE_MISMATCH}
)
_MAX_BACKOFF = 30.0


@dataclass(frozen=True, slots=True)
class RequestOptions:
    """What every request of one transfer carries, derived from the task's config."""

    headers: dict[str, str]
    timeout: httpx.Timeout
    attempts: int
    backoff: float  # first retry delay in seconds; doubles per attempt

    @classmethod
    def from_config(cls, config: DownloadConfig, backoff: float) -> "RequestOptions":
        return cls(
            headers={"User-Agent": config.user_agent, **config.headers},
            timeout=httpx.Timeout(
                connect=config.connect_timeout_seconds,
                read=config.timeout_seconds,
                write=config.timeout_seconds,
                pool=None,  # waiting for a pooled connection is the shared connection budget, not a failure
            ),
            attempts=config.retry_attempts + 1,
            backoff=backoff,
        )


def error_for_status(response: httpx.Response, what: str) -> Optional[VdpError]:
    status = response.status_code
    if status < 400:
        return None
    reason = f"{what}: HTTP {status} {response.reason_phrase}".rstrip()
    if status == 429:
        return VdpError(ErrorCode.RATE_LIMITED, reason, retry_after=_retry_after(response.headers.get("Retry-After")))
    if status >= 500:
        return VdpError(ErrorCode.SERVER_ERROR, reason)
    if status in (404, 410):
        return VdpError(ErrorCode.NOT_FOUND, reason)
    if status == 403:
        return VdpError(ErrorCode.FORBIDDEN, reason)
    if status == 401:
        return VdpError(ErrorCode.UNAUTHORIZED, reason)
    if status == 408:
        return VdpError(ErrorCode.TIMEOUT, reason)
    return VdpError(ErrorCode.HTTP_ERROR, reason)


async def fetch_small(
    client: httpx.AsyncClient, url: str, options: RequestOptions, *, limit: int, what: str, oversize: ErrorCode
) -> tuple[bytes, str]:
    """GET a playlist or key whole, refusing more than `limit` bytes. Returns (body, final URL after redirects)."""
    try:
        async with client.stream(
            "GET", url, headers=options.headers, timeout=options.timeout, follow_redirects=True
        ) as response:
            error = error_for_status(response, what)
            if error is not None:
                raise error
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > limit:
                raise VdpError(oversize, f"{what} is larger than {limit} bytes")
            body = bytearray()
            async for piece in response.aiter_bytes():
                body += piece
                if len(body) > limit:
                    raise VdpError(oversize, f"{what} is larger than {limit} bytes")
            return bytes(body), str(response.url)
    except httpx.HTTPError as exc:
        raise error_for_exception(exc, what) from None


async def with_retries(operation: Callable[[], Awaitable[T]], options: RequestOptions) -> T:
    """Run `operation`, again after a growing pause while it fails with a retryable code."""
    attempt = 1
    while True:
        try:
            return await operation()
        except VdpError as err:
            if err.code not in _RETRY_CODES or attempt >= options.attempts:
                if attempt == 1:
                    raise
                raise VdpError(
                    err.code, f"{err.message} (after {attempt} attempts)", retry_after=err.retry_after
                ) from None
            delay = err.retry_after if err.retry_after is not None else options.backoff * 2 ** (attempt - 1)
        await asyncio.sleep(min(delay, _MAX_BACKOFF))
        attempt += 1


def _retry_after(value: Optional[str]) -> Optional[float]:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
