"""aiohttp, imported without its default TLS contexts' trust store.

Importing aiohttp builds two default TLS contexts and loads the system's CA bundle into each: ≈ 80 ms of every
start, a fifth of `vdp get`'s. This app never uses them: its transport hands aiohttp a context of its own
(services.py). So they are built with no trust anchors here, and a request that did reach them would fail its
certificate check, never pass unchecked. Import this module before anything imports aiohttp; if something did
already, it changes nothing.
"""

from __future__ import annotations

import ssl
import sys


def _untrusting(self: ssl.SSLContext) -> None:
    """Stands in for `set_default_verify_paths` while aiohttp is imported: the trust store stays empty."""


def _import() -> None:
    if "aiohttp.connector" in sys.modules:
        return
    own = ssl.SSLContext.__dict__.get("set_default_verify_paths")  # inherited from _ssl._SSLContext today
    ssl.SSLContext.set_default_verify_paths = _untrusting  # type: ignore[method-assign]
    try:
        import aiohttp.connector  # noqa: F401
    finally:
        if own is None:
            del ssl.SSLContext.set_default_verify_paths
        else:
            ssl.SSLContext.set_default_verify_paths = own  # type: ignore[method-assign]


_import()
