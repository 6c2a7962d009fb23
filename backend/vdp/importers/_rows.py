"""Turns a sheet row into an `ImportedData` record, or names the reason it is skipped (docs/contract.md, "Import
commands")."""

from __future__ import annotations

import re
from typing import Optional, Union
from urllib.parse import urlsplit

from ..contract import ImportedData
from ..contract.commands import MAX_URL_LENGTH
from ..lean_models import lean
from ._headers import COLUMN_ID, COLUMN_NAME, COURSE_ID, COURSE_NAME, VIDEO_URL, HeaderMatcher
from ._table import SkipReason

_FIELDS = (COLUMN_ID, COLUMN_NAME, COURSE_ID, COURSE_NAME, VIDEO_URL)


# The shape nearly every sheet URL has, checked without urlsplit's cost; anything else (IDN or IPv6 hosts,
# user info, odd ports) goes through the full parse below.
_PLAIN_HTTP_URL = re.compile(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*(?:/[!-~]*)?", re.IGNORECASE)


def is_video_url(url: str) -> bool:
    """An absolute http(s) URL with a host, no control characters, within the contract's length."""
    if len(url) > MAX_URL_LENGTH:
        return False
    if _PLAIN_HTTP_URL.fullmatch(url):
        return True
    if not url.isprintable():
        return False
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port that is not a number in range
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


class RowReader:
    """Reads the rows of one sheet: which columns feed which field was settled once, from its header."""

    def __init__(self, header: list[str], matcher: HeaderMatcher, sheet_name: Optional[str], max_cell_chars: int):
        fields = matcher.fields_of(header)
        # Several columns may map to one field (say "url" and "链接"): the first non-empty one wins, per row.
        self._columns = [(field, [i for i, f in enumerate(fields) if f == field]) for field in _FIELDS]
        self._sheet_name = sheet_name or None
        self._max_cell_chars = max_cell_chars
        # A column's id and name repeat on every lesson row of it: one string each, not one per row (the rows live
        # on as the tasks' video_info, 200,000 of them after a big import).
        self._columns_seen: dict[str, str] = {}

    def read(self, cells: Union[list[str], SkipReason]) -> Union[ImportedData, SkipReason]:
        if isinstance(cells, SkipReason):
            return cells
        if not any(cells):
            return SkipReason.EMPTY_ROW
        if max(map(len, cells)) > self._max_cell_chars:
            return SkipReason.CELL_TOO_LARGE
        width = len(cells)
        value: dict[str, Optional[str]] = {}
        for field, columns in self._columns:  # plain loops: this runs for every field of every row
            found = None
            for i in columns:
                if i < width and cells[i]:
                    found = cells[i]
                    break
            value[field] = found
        url = value[VIDEO_URL]
        if url is None:
            return SkipReason.MISSING_URL
        if not is_video_url(url):
            return SkipReason.INVALID_URL
        seen = self._columns_seen
        column_name = value[COLUMN_NAME] or self._sheet_name
        if column_name is not None:
            column_name = seen.setdefault(column_name, column_name)
        column_id = value[COLUMN_ID]
        if column_id is not None:
            column_id = seen.setdefault(column_id, column_id)
        return lean(ImportedData(  # a row lives on as its task's video_info: 200,000 of them after a big import
            zl_id=column_id,
            id=column_id,
            zl_name=column_name,
            name=column_name,
            kc_id=value[COURSE_ID],
            course_id=value[COURSE_ID],
            kc_name=value[COURSE_NAME],
            course_name=value[COURSE_NAME],
            record_url=url,
            url=url,
        ))
