"""Representations a resource serves: bytes in memory or a file on disk, with their length and validators.

Both send a byte range to a connection without copying: memoryview slices for memory, sendfile for files.
"""

from __future__ import annotations

import gzip
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ._connection import Connection
from ._http import http_date

# In-memory content has no mtime: give each object its own serial, so every version of a resource gets a
# distinct ETag and Last-Modified, as a replaced file would.
_serials = itertools.count(1)
_EPOCH = 1_700_000_000


class MemoryContent:
    def __init__(self, data: bytes) -> None:
        serial = next(_serials)
        self._data = data
        self._view = memoryview(data)
        self.size = len(data)
        self.etag = f'"m{serial:x}-{self.size:x}"'
        self.last_modified = http_date(_EPOCH + serial)

    @contextmanager
    def open(self) -> Iterator[MemoryContent]:
        yield self

    async def send(self, conn: Connection, offset: int, count: int) -> None:
        await conn.send(self._view[offset : offset + count])

    def read(self) -> bytes:
        return self._data


class FileContent:
    def __init__(self, path: Path) -> None:
        status = path.stat()
        self._path = path
        self.size = status.st_size
        self.etag = f'"f{status.st_mtime_ns:x}-{self.size:x}"'
        self.last_modified = http_date(status.st_mtime)

    @contextmanager
    def open(self) -> Iterator[_FileSender]:
        with open(self._path, "rb") as file:  # one handle per response: concurrent ranges never share offsets
            yield _FileSender(file)

    def read(self) -> bytes:
        return self._path.read_bytes()


class _FileSender:
    def __init__(self, file: BinaryIO) -> None:
        self._file = file

    async def send(self, conn: Connection, offset: int, count: int) -> None:
        await conn.sendfile(self._file, offset, count)


Content = MemoryContent | FileContent


def load_content(data: bytes | bytearray | Path, *, compress: bool) -> Content:
    """The representation of `data`; with `compress`, its gzip encoding (deterministic: no timestamp)."""
    if compress:
        raw = data.read_bytes() if isinstance(data, Path) else bytes(data)
        return MemoryContent(gzip.compress(raw, mtime=0))
    return FileContent(data) if isinstance(data, Path) else MemoryContent(bytes(data))
