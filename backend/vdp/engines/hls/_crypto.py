"""AES-128 for HLS: keys fetched once per URI (concurrent requests share one fetch) and streaming CBC decryption."""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from ...contract import ErrorCode
from ...errors import VdpError

KEY_BYTES = 16


class KeyStore:
    def __init__(self, fetch: Callable[[str], Awaitable[bytes]]) -> None:
        self._fetch = fetch
        self._keys: dict[str, bytes] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def get(self, uri: str) -> bytes:
        key = self._keys.get(uri)
        if key is not None:
            return key
        async with self._locks.setdefault(uri, asyncio.Lock()):
            key = self._keys.get(uri)
            if key is None:
                key = await self._fetch(uri)
                if len(key) != KEY_BYTES:
                    raise VdpError(
                        ErrorCode.INVALID_RESPONSE, f"AES-128 key {uri} has {len(key)} bytes instead of {KEY_BYTES}"
                    )
                self._keys[uri] = key
            return key


class CbcDecryptor:
    """AES-128-CBC over a stream of byte batches; PKCS#7 padding is removed by `finish`."""

    __slots__ = ("_cipher", "_unpadder", "_what")

    def __init__(self, key: bytes, iv: bytes, what: str) -> None:
        self._cipher = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        self._unpadder = padding.PKCS7(128).unpadder()
        self._what = what

    def update(self, data: bytes) -> bytes:
        return self._unpadder.update(self._cipher.update(data))

    def finish(self) -> bytes:
        try:
            tail = self._cipher.finalize()
        except ValueError:
            raise VdpError(
                ErrorCode.SIZE_MISMATCH, f"{self._what}: encrypted length is not a whole number of AES blocks"
            ) from None
        try:
            return self._unpadder.update(tail) + self._unpadder.finalize()
        except ValueError:
            raise VdpError(
                ErrorCode.INVALID_RESPONSE, f"{self._what}: could not be decrypted (wrong key or corrupted data)"
            ) from None
