"""The download plan: every file to fetch (segments and init sections, numbered) and each track's order."""

from __future__ import annotations

from dataclasses import dataclass
from posixpath import splitext
from typing import Any, Optional, Sequence
from urllib.parse import urlsplit

from ...contract import ErrorCode
from ...errors import VdpError
from .playlist import ByteRange, InitSection, MediaPlaylist

_AUDIO_EXTENSIONS = (".aac", ".ac3", ".ec3", ".mp3")


@dataclass(frozen=True, slots=True)
class PartKey:
    uri: str
    iv: bytes


@dataclass(frozen=True, slots=True)
class Part:
    """One file to fetch; its index is its resume chunk index and names its file in the work folder."""

    index: int
    url: str
    byte_range: Optional[ByteRange]
    key: Optional[PartKey]  # AES-128
    label: str  # for messages, e.g. "segment 12 of 300"


@dataclass(frozen=True, slots=True)
class Track:
    kind: str  # "video" or "audio"
    playlist_url: str
    order: tuple[int, ...]  # part indices in output order, each init section before the segments it serves
    segment_count: int
    extension: str  # ".mp4" for fMP4 (EXT-X-MAP), else the packed format's own


@dataclass(frozen=True, slots=True)
class Plan:
    parts: tuple[Part, ...]
    tracks: tuple[Track, ...]

    @property
    def exact_size(self) -> Optional[int]:
        """The total in bytes when every part is a byte range (encrypted sizes: within 16 bytes per part)."""
        ranges = [p.byte_range for p in self.parts]
        if all(r is not None for r in ranges):
            return sum(r.length for r in ranges if r is not None)
        return None

    def identity(self) -> dict[str, Any]:
        """What a resume must match. Query strings are left out: signed URLs change between fetches."""
        return {
            "tracks": [[_without_query(t.playlist_url), t.segment_count] for t in self.tracks],
            "parts": len(self.parts),
        }


def build_plan(tracks: Sequence[tuple[str, MediaPlaylist]]) -> Plan:
    """`tracks` are (kind, playlist) pairs, the video (main) track first."""
    parts: list[Part] = []
    built: list[Track] = []
    for kind, playlist in tracks:
        prefix = "" if kind == "video" else f"{kind} "
        count = len(playlist.segments)
        order: list[int] = []
        inits: dict[InitSection, int] = {}
        current_init: Optional[InitSection] = None
        for number, segment in enumerate(playlist.segments, start=1):
            if segment.init is not None and segment.init != current_init:
                index = inits.get(segment.init)
                if index is None:
                    index = inits[segment.init] = len(parts)
                    parts.append(_init_part(index, segment.init, f"{prefix}init section {len(inits)}"))
                order.append(index)
            current_init = segment.init
            key = segment.key
            parts.append(
                Part(
                    index=len(parts),
                    url=segment.uri,
                    byte_range=segment.byte_range,
                    key=PartKey(key.uri, key.iv or segment.sequence.to_bytes(16, "big")) if key else None,
                    label=f"{prefix}segment {number} of {count}",
                )
            )
            order.append(len(parts) - 1)
        built.append(Track(kind, playlist.url, tuple(order), count, _extension(kind, playlist, bool(inits))))
    return Plan(tuple(parts), tuple(built))


def _init_part(index: int, init: InitSection, label: str) -> Part:
    key = None
    if init.key is not None:
        if init.key.iv is None:
            # RFC 8216 §4.3.2.4: an encrypted init section has no sequence number to derive an IV from.
            raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Encrypted EXT-X-MAP {init.uri} has no IV attribute")
        key = PartKey(init.key.uri, init.key.iv)
    return Part(index=index, url=init.uri, byte_range=init.byte_range, key=key, label=label)


def _extension(kind: str, playlist: MediaPlaylist, fragmented: bool) -> str:
    if fragmented:
        return ".mp4"
    if kind == "audio":
        suffix = splitext(urlsplit(playlist.segments[0].uri).path)[1].lower()
        if suffix in _AUDIO_EXTENSIONS:
            return suffix
    return ".ts"


def _without_query(url: str) -> str:
    return urlsplit(url)._replace(query="", fragment="").geturl()
