"""TLS for the download transport: the trust store it loads when first needed, and the two TLS failures that no
retry mends (a certificate that does not verify, a trust store that cannot be read), classified for every engine."""

from __future__ import annotations

import os
import ssl
import sys
from typing import Optional

import httpx

from ..contract import ErrorCode
from ..errors import VdpError


class TrustStoreError(httpx.ConnectError):
    """The CA certificates could not be loaded: no HTTPS request can be verified until that is mended."""


def untrusted_context() -> ssl.SSLContext:
    """`ssl.create_default_context()` without its trust anchors: it verifies certificates and host names, and
    trusts nothing until `load_trust`."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if sys.version_info >= (3, 13):  # what create_default_context adds there
        context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN | ssl.VERIFY_X509_STRICT
    if os.environ.get("SSLKEYLOGFILE") and not sys.flags.ignore_environment:
        context.keylog_filename = os.environ["SSLKEYLOGFILE"]
    return context


def load_trust(context: ssl.SSLContext) -> None:
    """The CA certificates httpx itself would trust: SSL_CERT_FILE, else SSL_CERT_DIR, else certifi's bundle."""
    if os.environ.get("SSL_CERT_FILE"):
        context.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
    elif os.environ.get("SSL_CERT_DIR"):
        context.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
    else:
        import certifi

        context.load_verify_locations(cafile=certifi.where())


def tls_failure(exc: BaseException) -> Optional[VdpError]:
    """The final error for a request that failed in TLS, or None when the failure is something else."""
    if isinstance(exc, TrustStoreError):
        return VdpError(ErrorCode.IO_ERROR, str(exc))
    seen: Optional[BaseException] = exc
    while seen is not None:
        reason = getattr(seen, "verify_message", None)  # set by ssl on its SSLCertVerificationError
        if isinstance(seen, ssl.SSLCertVerificationError) and reason:
            return VdpError(ErrorCode.INVALID_RESPONSE,
                            f"The server's certificate could not be verified ({reason}); not downloading")
        seen = seen.__cause__ or seen.__context__
    return None
