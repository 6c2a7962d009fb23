"""What a request that failed without a usable answer means (network, timeout, TLS, proxy, a malformed answer), for
every engine and the link probes: one classification, each code retryable or final as the contract says."""

from __future__ import annotations

import httpx

from ..contract import ErrorCode
from ..errors import VdpError
from .tls import tls_failure


class MalformedResponse(httpx.RemoteProtocolError):
    """The server's answer broke HTTP (headers, framing, body encoding) or it hung up mid-answer."""


class ProxyAuthRequired(httpx.ProxyError):
    """The proxy wants credentials, or refused the ones given (HTTP 407, SOCKS5 authentication)."""


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
    if isinstance(exc, httpx.RemoteProtocolError):  # MalformedResponse included
        return VdpError(ErrorCode.PROTOCOL_ERROR, f"The server sent a malformed answer ({detail})")
    if isinstance(exc, ProxyAuthRequired):
        return VdpError(ErrorCode.UNAUTHORIZED, f"Check the proxy's user name and password: {detail}")
    if isinstance(exc, httpx.ProxyError):
        return VdpError(ErrorCode.NETWORK, f"Proxy problem: {detail}")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return VdpError(ErrorCode.INVALID_URL, f"Unsupported URL: {detail}")
    if isinstance(exc, httpx.TooManyRedirects):
        return VdpError(ErrorCode.HTTP_ERROR, "Too many redirects")
    return VdpError(ErrorCode.NETWORK, f"Connection problem: {detail}")
