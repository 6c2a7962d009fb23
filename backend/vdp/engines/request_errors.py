"""What a request that failed before an answer means (network, timeout, TLS), for every engine: one classification,
each code retryable or final as the contract says."""

from __future__ import annotations

import httpx

from ..contract import ErrorCode
from ..errors import VdpError
from .tls import tls_failure


def error_for_exception(exc: Exception, what: str = "") -> VdpError:
    """`what` names the request in the message (an HLS segment, a key); the HTTP engine's single file needs none."""
    error = _classify(exc)
    return VdpError(error.code, f"{what}: {error.message}") if what else error


def _classify(exc: Exception) -> VdpError:
    final = tls_failure(exc)
    if final is not None:
        return final
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return VdpError(ErrorCode.TIMEOUT, f"The connection timed out ({detail})")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return VdpError(ErrorCode.INVALID_URL, f"Unsupported URL: {detail}")
    if isinstance(exc, httpx.TooManyRedirects):
        return VdpError(ErrorCode.HTTP_ERROR, "Too many redirects")
    return VdpError(ErrorCode.NETWORK, f"Connection problem: {detail}")
