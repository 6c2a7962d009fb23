"""Deterministic test data, cheap at any size, and SHA-256 helpers to compare downloads with their source.

`make_payload(size, seed)` repeats one pseudo-random 1 MiB block whose first 8 bytes are the block's index, so
the data costs a memcpy per MiB (not a random generator per byte) and a block written at the wrong offset never
hashes like the source.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

_BLOCK = 1 << 20


def _blocks(size: int, seed: int) -> Iterator[memoryview]:
    """The payload block by block, as views of one reused buffer (each valid until the next is yielded).

    Reusing the buffer matters: fresh 1 MiB allocations are mmap'ed and page-faulted every time.
    """
    block = bytearray(random.Random(seed).randbytes(_BLOCK))
    view = memoryview(block)
    for index, offset in enumerate(range(0, size, _BLOCK)):
        block[:8] = index.to_bytes(8, "little")
        yield view[: min(_BLOCK, size - offset)]


def make_payload(size: int, seed: int = 0) -> bytes:
    """`size` deterministic bytes; different seeds give different data. Use write_payload for GiB sizes."""
    _check_size(size)
    out = bytearray(size)
    for offset, block in zip(range(0, size, _BLOCK), _blocks(size, seed)):
        out[offset : offset + len(block)] = block
    return bytes(out)


def write_payload(path: Path, size: int, seed: int = 0) -> str:
    """Write `make_payload(size, seed)` to `path` without holding it in memory; returns its SHA-256 hex digest."""
    _check_size(size)
    digest = hashlib.sha256()
    with open(path, "wb") as out:
        for block in _blocks(size, seed):
            out.write(block)
            digest.update(block)
    return digest.hexdigest()


def _check_size(size: int) -> None:
    if size < 0:
        raise ValueError(f"payload size must be >= 0, got {size}")


def sha256_of(data: bytes | bytearray | memoryview | Path) -> str:
    """SHA-256 hex digest of bytes or of a file's contents (read in 8 MiB blocks)."""
    if not isinstance(data, Path):
        return hashlib.sha256(data).hexdigest()
    with open(data, "rb") as source:
        return hashlib.file_digest(source, "sha256").hexdigest()


def serve_payloads(server, count: int, size: int, **behaviour) -> list[tuple[str, bytes]]:  # type: ignore[no-untyped-def]
    """Register `count` files of `size` bytes (`/f0.bin`, …) on a FaultServer; returns (url, data) pairs."""
    files = []
    for n in range(count):
        data = make_payload(size, seed=n)
        server.add_file(f"/f{n}.bin", data, **behaviour)
        files.append((server.url(f"/f{n}.bin"), data))
    return files
