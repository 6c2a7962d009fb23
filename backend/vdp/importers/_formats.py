"""Which reader a file needs, and the list of formats the UI offers (docs/contract.md, "Import commands")."""

from __future__ import annotations

import os

from ..contract import FileFormat, SupportedFormat, SupportedFormats

TEXT_EXTENSIONS = ("csv", "tsv", "txt")
WORKBOOK_EXTENSIONS = ("xlsx", "xls", "ods")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls


def file_format(path: str | os.PathLike[str], head: bytes) -> FileFormat:
    """By extension as the original did; a workbook under another name is still recognised by its magic bytes."""
    if extension(path) in WORKBOOK_EXTENSIONS or head.startswith((_ZIP_MAGIC, _OLE2_MAGIC)):
        return FileFormat.EXCEL
    return FileFormat.CSV


def is_zip(head: bytes) -> bool:
    return head.startswith(_ZIP_MAGIC)


def extension(path: str | os.PathLike[str]) -> str:
    return os.path.splitext(os.fspath(path))[1].lstrip(".").lower()


def supported_formats() -> SupportedFormats:
    return SupportedFormats(
        formats=[
            SupportedFormat(
                name="CSV",
                extensions=list(TEXT_EXTENSIONS),
                description="Comma/semicolon/tab/pipe separated text with automatic encoding detection",
                supports_multiple_sheets=False,
            ),
            SupportedFormat(
                name="Excel",
                extensions=list(WORKBOOK_EXTENSIONS),
                description="Excel and OpenDocument spreadsheets; every sheet is imported",
                supports_multiple_sheets=True,
            ),
        ],
        encodings=["UTF-8", "GBK", "GB18030", "Big5", "Shift-JIS", "UTF-16LE", "UTF-16BE"],
    )
