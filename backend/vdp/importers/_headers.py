"""Which sheet column feeds which field: the original's alias lists plus the user's (docs/contract.md, "Import
commands")."""

from __future__ import annotations

from typing import Mapping, Optional, Sequence, Union

COLUMN_ID = "column_id"
COLUMN_NAME = "column_name"
COURSE_ID = "course_id"
COURSE_NAME = "course_name"
VIDEO_URL = "video_url"

# In the original's matching order: when a header is in two lists, the earlier list wins.
BUILTIN_ALIASES: dict[str, tuple[str, ...]] = {
    COLUMN_ID: ("zl_id", "专栏ID", "专栏id", "column_id", "columnId", "Column ID"),
    COLUMN_NAME: ("zl_name", "专栏名称", "专栏名", "column_name", "columnName", "Column Name"),
    COURSE_ID: ("kc_id", "课程ID", "课程id", "course_id", "courseId", "Course ID"),
    COURSE_NAME: ("kc_name", "课程名称", "课程名", "course_name", "courseName", "Course Name", "title", "标题"),
    VIDEO_URL: ("record_url", "视频链接", "下载链接", "video_url", "videoUrl", "url", "link", "链接"),
}

# Keys the user's mapping may use for each field (`fieldMapping` / `customFieldMapping`); others are ignored.
_MAPPING_KEYS = {
    COLUMN_ID: COLUMN_ID,
    "id": COLUMN_ID,
    COLUMN_NAME: COLUMN_NAME,
    "name": COLUMN_NAME,
    COURSE_ID: COURSE_ID,
    COURSE_NAME: COURSE_NAME,
    VIDEO_URL: VIDEO_URL,
    "url": VIDEO_URL,
}

FieldMapping = Mapping[str, Union[str, Sequence[str]]]
"""{field key → header} (`fieldMapping`) or {field key → [headers]} (`customFieldMapping`)."""


def _normalize(header: str) -> str:
    return header.strip().lower()


class HeaderMatcher:
    """Maps a header to its field. The user's headers are added to the built-in lists and are tried first,
    so a header the user explicitly assigned is never claimed by an earlier built-in list."""

    def __init__(self, user_mapping: Optional[FieldMapping] = None) -> None:
        self._field_by_alias: dict[str, str] = {}
        for key, headers in (user_mapping or {}).items():
            field = _MAPPING_KEYS.get(_normalize(key))
            if field is None:
                continue
            for header in [headers] if isinstance(headers, str) else headers:
                if isinstance(header, str) and header.strip():
                    self._field_by_alias.setdefault(_normalize(header), field)
        for field, aliases in BUILTIN_ALIASES.items():
            for alias in aliases:
                self._field_by_alias.setdefault(_normalize(alias), field)

    def field_of(self, header: str) -> Optional[str]:
        return self._field_by_alias.get(_normalize(header))

    def fields_of(self, headers: Sequence[str]) -> list[Optional[str]]:
        return [self.field_of(header) for header in headers]
