"""HLS attribute lists (RFC 8216 §4.2): `NAME=VALUE,…` where a quoted value may hold commas and `=`."""

from __future__ import annotations

import re

# One `NAME=VALUE` pair and the comma (or end) after it. A quoted value runs to the next quote; an unquoted
# value can hold neither a quote nor a comma.
_PAIR = re.compile(r'\s*([A-Za-z0-9-]+)\s*=\s*("[^"\r\n]*"|[^",]*?)\s*(?:,|$)')


def parse_attributes(text: str) -> dict[str, str]:
    """Return the attributes by upper-cased name, quotes removed. Raises ValueError on a malformed list."""
    attributes: dict[str, str] = {}
    pos, end = 0, len(text)
    while pos < end:
        match = _PAIR.match(text, pos)
        if match is None or match.end() == pos:
            raise ValueError(f"malformed attribute list near {text[pos:pos + 40]!r}")
        name, value = match.group(1).upper(), match.group(2)
        attributes[name] = value[1:-1] if value.startswith('"') else value
        pos = match.end()
    return attributes
