"""Folder names made from sheet text that are valid on every OS and can never leave the output folder."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

MAX_NAME_BYTES = 120
"""Well under the 255-byte name limit of common file systems, leaving room for the engines' own suffixes."""

_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]]
)
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')


@lru_cache(maxsize=4096)  # a sheet repeats the same column and course names row after row
def folder_name(text: Optional[str]) -> str:
    """One path component from free text, or "" when nothing usable is left (the caller then uses no folder).
    Separators and Windows-forbidden characters become `_`; control and format characters (such as
    right-to-left overrides) are dropped; leading and trailing dots and spaces go, which also removes
    `.` and `..`; a reserved device name gets a `_` prefix; the result is capped at MAX_NAME_BYTES in UTF-8."""
    if not text:
        return ""
    name = text if text.isprintable() else "".join(c for c in text if not unicodedata.category(c).startswith("C"))
    name = _FORBIDDEN.sub("_", name).strip(". ")
    if name.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        name = f"_{name}"
    return _cap_bytes(name, MAX_NAME_BYTES).rstrip(". ")


def _cap_bytes(name: str, limit: int) -> str:
    encoded = name.encode("utf-8")
    return name if len(encoded) <= limit else encoded[:limit].decode("utf-8", errors="ignore")
