"""`preview`: the first sheet's headers, first rows and row count, for the mapping step (docs/contract.md, "Import
commands")."""

from __future__ import annotations

import os

from ..contract import ImportPreview
from ..errors import ErrorCode, ErrorKind, VdpError
from ._failure import ParseFailure
from ._headers import HeaderMatcher
from ._limits import DEFAULT_LIMITS, ImportLimits
from ._source import open_table
from ._table import SkipReason

DEFAULT_PREVIEW_ROWS = 10
# What the original shows for a file with no header row at all (its source has them as mojibake).
DEFAULT_HEADERS = ("专栏ID", "专栏名称", "课程ID", "课程名称", "视频链接")


def preview(
    path: str | os.PathLike[str], max_rows: int = DEFAULT_PREVIEW_ROWS, *, limits: ImportLimits = DEFAULT_LIMITS
) -> ImportPreview:
    """Headers (`Column {n}` where empty or missing), the first `max_rows` non-empty rows padded to the
    headers, and the number of non-empty data rows. Only a workbook's first sheet is read."""
    shown = max_rows or DEFAULT_PREVIEW_ROWS
    try:
        with open_table(path, limits) as table:
            sheet = next(table.sheets, None)
            header = sheet.header if sheet else list(DEFAULT_HEADERS)
            width, total = len(header), 0
            rows: list[list[str]] = []
            for _, cells in sheet.rows if sheet else ():
                if isinstance(cells, SkipReason):
                    total += 1  # a row too large to show is still a row of the file
                    continue
                if not any(cells):
                    continue
                total += 1
                width = max(width, len(cells))
                if len(rows) < shown:
                    rows.append([cell[: limits.max_cell_chars] for cell in cells])
    except ParseFailure as exc:
        raise VdpError(ErrorCode.PARSE_ERROR, f"Failed to preview file: {exc}", kind=ErrorKind.PARSE) from None
    headers = [name or f"Column {n}" for n, name in enumerate(header + [""] * (width - len(header)), start=1)]
    matcher = HeaderMatcher()
    return ImportPreview(
        headers=headers,
        rows=[row + [""] * (width - len(row)) for row in rows],
        total_rows=total,
        encoding=table.encoding,
        field_mapping={name: field for name in headers if (field := matcher.field_of(name))},
    )
