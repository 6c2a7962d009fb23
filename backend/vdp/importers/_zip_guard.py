"""Refuses a zip-based workbook (XLSX, ODS) that would inflate beyond the limit before calamine unpacks it.

The sizes a zip declares are checked first (cheap, catches the usual bomb). They can lie, and calamine does
not hold members to them, so every member is then inflated once without being kept, counting what really
comes out and stopping as soon as the budget is spent; a normal workbook costs a few milliseconds.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from typing import BinaryIO

from ._failure import ParseFailure
from ._limits import MIB, ImportLimits

_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_HEADER_SIGNATURE = b"PK\x03\x04"
_READ_BYTES = MIB
_INFLATE_STEP = 4 * MIB


def check_workbook_zip(path: str | os.PathLike[str], limits: ImportLimits) -> None:
    budget = limits.max_unpacked_bytes
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise ParseFailure(f"not a readable spreadsheet ({exc})") from None
    if len(members) > limits.max_zip_members:
        raise ParseFailure(f"the workbook has {len(members):,} parts (limit {limits.max_zip_members:,})")
    declared = sum(member.file_size for member in members)
    if declared > budget:
        raise _bomb(limits)
    with open(path, "rb") as raw:
        for member in members:
            budget -= _inflated_size(raw, member, budget)
            if budget < 0:
                raise _bomb(limits)


def _bomb(limits: ImportLimits) -> ParseFailure:
    return ParseFailure(
        f"the workbook unpacks to more than {limits.max_unpacked_bytes / MIB:g} MiB; "
        "it looks like a zip bomb and was not opened"
    )


def _inflated_size(raw: BinaryIO, member: zipfile.ZipInfo, budget: int) -> int:
    """What `member` really inflates to, counted no further than just past `budget`."""
    raw.seek(member.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or not header.startswith(_LOCAL_HEADER_SIGNATURE):
        raise ParseFailure(f"not a readable spreadsheet (damaged zip entry {member.filename!r})")
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    raw.seek(name_length + extra_length, os.SEEK_CUR)
    if member.compress_type == zipfile.ZIP_STORED:
        size = member.compress_size
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        size = _inflate_counting(raw, member.compress_size, budget)
    else:
        raise ParseFailure(f"not a readable spreadsheet (unsupported zip compression in {member.filename!r})")
    return size


def _inflate_counting(raw: BinaryIO, compressed_left: int, budget: int) -> int:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        while compressed_left > 0 and not inflater.eof:
            chunk = raw.read(min(_READ_BYTES, compressed_left))
            if not chunk:
                break
            compressed_left -= len(chunk)
            while chunk and not inflater.eof:
                produced += len(inflater.decompress(chunk, _INFLATE_STEP))
                if produced > budget:
                    return produced
                chunk = inflater.unconsumed_tail
    except zlib.error as exc:
        raise ParseFailure(f"not a readable spreadsheet (corrupt zip data: {exc})") from None
    return produced
