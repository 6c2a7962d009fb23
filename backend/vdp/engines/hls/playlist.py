"""Strict, bounded parsing of HLS master and media playlists (RFC 8216).

`parse_playlist(data, url)` returns a `MasterPlaylist` or a `MediaPlaylist` with every URI already resolved
against `url` (the playlist's final URL, after redirects). Anything the engine cannot turn into a correct file
is rejected here with a classified `VdpError`: malformed or oversized input → INVALID_PLAYLIST, a web page →
GOT_HTML_PAGE, SAMPLE-AES or a non-identity KEYFORMAT → DRM_PROTECTED. Unknown tags are ignored, as the RFC
asks. Whether a media playlist is live is reported (`ended`), not judged: that is the engine's decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Union
from urllib.parse import urljoin, urlsplit, urlunsplit

from ...contract import ErrorCode
from ...errors import VdpError
from ._attributes import parse_attributes


@dataclass(frozen=True, slots=True)
class PlaylistLimits:
    max_bytes: int = 16 * 1024 * 1024
    max_line_chars: int = 64 * 1024
    max_segments: int = 200_000
    max_variants: int = 10_000  # EXT-X-STREAM-INF plus EXT-X-MEDIA entries of a master playlist


@dataclass(frozen=True, slots=True)
class ByteRange:
    offset: int
    length: int

    @property
    def header(self) -> str:
        return f"bytes={self.offset}-{self.offset + self.length - 1}"


@dataclass(frozen=True, slots=True)
class Key:
    """An AES-128 key reference; `iv` is None when the IV comes from the media sequence number."""

    uri: str
    iv: Optional[bytes]


@dataclass(frozen=True, slots=True)
class InitSection:
    uri: str
    byte_range: Optional[ByteRange]
    key: Optional[Key]


@dataclass(frozen=True, slots=True)
class Segment:
    uri: str
    duration: float
    sequence: int  # media sequence number
    byte_range: Optional[ByteRange]
    key: Optional[Key]
    init: Optional[InitSection]
    discontinuity: bool


@dataclass(frozen=True, slots=True)
class MediaPlaylist:
    url: str
    segments: tuple[Segment, ...]
    ended: bool  # EXT-X-ENDLIST or PLAYLIST-TYPE=VOD: the list is complete and will not grow


@dataclass(frozen=True, slots=True)
class Variant:
    uri: str
    bandwidth: int
    resolution: Optional[tuple[int, int]]
    codecs: Optional[str]
    audio_group: Optional[str]


@dataclass(frozen=True, slots=True)
class Rendition:
    """An EXT-X-MEDIA TYPE=AUDIO entry; `uri` is None when the audio is muxed into the variants."""

    group_id: str
    name: str
    uri: Optional[str]
    default: bool
    autoselect: bool


@dataclass(frozen=True, slots=True)
class MasterPlaylist:
    url: str
    variants: tuple[Variant, ...]
    audio: tuple[Rendition, ...]


Playlist = Union[MasterPlaylist, MediaPlaylist]

_HEX_IV = re.compile(r"[0-9A-Fa-f]{1,32}")
_DRM_METHODS = ("SAMPLE-AES", "SAMPLE-AES-CTR", "SAMPLE-AES-CENC", "ISO-23001-7")


def parse_playlist(data: bytes, url: str, limits: PlaylistLimits = PlaylistLimits()) -> Playlist:
    if len(data) > limits.max_bytes:
        raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Playlist is larger than {limits.max_bytes} bytes: {url}")
    text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    if not text.startswith("#EXTM3U"):
        if "<html" in text[:4096].lower():
            raise VdpError(
                ErrorCode.GOT_HTML_PAGE,
                f"Got a web page instead of a playlist (the link may have expired or need a login): {url}",
            )
        raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Not an HLS playlist (no #EXTM3U header): {url}")
    parser = _Parser(url, limits)
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > limits.max_line_chars:
            raise VdpError(
                ErrorCode.INVALID_PLAYLIST, f"Playlist line {number} is longer than {limits.max_line_chars} characters"
            )
        line = line.strip()
        if not line:
            continue
        try:
            parser.feed(line)
        except ValueError as exc:
            raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Invalid playlist {url}, line {number}: {exc}") from None
    return parser.result()


class _Parser:
    """One pass over the lines; master and media tags are collected, and mixing them is an error at the end."""

    def __init__(self, url: str, limits: PlaylistLimits) -> None:
        self._url = url
        self._limits = limits
        base = urlsplit(url)
        self._folder = (
            urlunsplit((base.scheme, base.netloc, base.path[: base.path.rfind("/") + 1], "", ""))
            if base.scheme in ("http", "https") and base.path.startswith("/")
            else ""
        )
        # master
        self._variants: list[Variant] = []
        self._audio: list[Rendition] = []
        self._pending_variant: Optional[dict[str, str]] = None
        # media
        self._segments: list[Segment] = []
        self._media_sequence = 0
        self._ended = False
        self._key: Optional[Key] = None
        self._init: Optional[InitSection] = None
        self._duration: Optional[float] = None
        self._range: Optional[tuple[int, Optional[int]]] = None
        self._discontinuity = False
        self._previous_range_end: Optional[tuple[str, int]] = None  # (uri, next offset) for BYTERANGE without @o

    def feed(self, line: str) -> None:
        if not line.startswith("#"):
            self._uri_line(line)
            return
        if not line.startswith("#EXT"):
            return  # a comment
        tag, _, value = line.partition(":")
        handler = self._TAGS.get(tag)
        if handler is not None:
            handler(self, value)

    def result(self) -> Playlist:
        if self._variants and self._segments:
            raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Playlist mixes variants and media segments: {self._url}")
        if self._pending_variant is not None:
            raise VdpError(ErrorCode.INVALID_PLAYLIST, f"#EXT-X-STREAM-INF without a URI line: {self._url}")
        if self._variants:
            return MasterPlaylist(self._url, tuple(self._variants), tuple(self._audio))
        if not self._segments:
            raise VdpError(ErrorCode.INVALID_PLAYLIST, f"Playlist has no segments: {self._url}")
        return MediaPlaylist(self._url, tuple(self._segments), self._ended)

    # -- URI lines -------------------------------------------------------------------------------------------

    def _uri_line(self, line: str) -> None:
        uri = self._resolve(line)
        if self._pending_variant is not None:
            self._add_variant(self._pending_variant, uri)
            self._pending_variant = None
        else:
            self._add_segment(uri)

    def _add_variant(self, attributes: dict[str, str], uri: str) -> None:
        self._count_master_entry()
        resolution = attributes.get("RESOLUTION")
        self._variants.append(
            Variant(
                uri=uri,
                bandwidth=_decimal(_required(attributes, "BANDWIDTH"), "BANDWIDTH"),
                resolution=_resolution(resolution) if resolution else None,
                codecs=attributes.get("CODECS"),
                audio_group=attributes.get("AUDIO"),
            )
        )

    def _add_segment(self, uri: str) -> None:
        if len(self._segments) >= self._limits.max_segments:
            raise VdpError(
                ErrorCode.INVALID_PLAYLIST, f"Playlist has more than {self._limits.max_segments} segments: {self._url}"
            )
        byte_range = None
        if self._range is not None:
            length, offset = self._range
            if offset is None:
                previous = self._previous_range_end
                offset = previous[1] if previous is not None and previous[0] == uri else 0
            byte_range = ByteRange(offset, length)
            self._previous_range_end = (uri, offset + length)
        else:
            self._previous_range_end = None
        self._segments.append(
            Segment(
                uri=uri,
                duration=self._duration or 0.0,
                sequence=self._media_sequence + len(self._segments),
                byte_range=byte_range,
                key=self._key,
                init=self._init,
                discontinuity=self._discontinuity,
            )
        )
        self._duration, self._range, self._discontinuity = None, None, False

    # -- tags ------------------------------------------------------------------------------------------------

    def _stream_inf(self, value: str) -> None:
        self._pending_variant = parse_attributes(value)

    def _media(self, value: str) -> None:
        attributes = parse_attributes(value)
        if attributes.get("TYPE") != "AUDIO":
            return
        self._count_master_entry()
        uri = attributes.get("URI")
        self._audio.append(
            Rendition(
                group_id=_required(attributes, "GROUP-ID"),
                name=attributes.get("NAME", ""),
                uri=self._resolve(uri) if uri else None,
                default=attributes.get("DEFAULT") == "YES",
                autoselect=attributes.get("AUTOSELECT") == "YES",
            )
        )

    def _extinf(self, value: str) -> None:
        duration = value.partition(",")[0].strip()
        try:
            self._duration = float(duration)
        except ValueError:
            raise ValueError(f"bad #EXTINF duration {duration!r}") from None
        if not self._duration >= 0:  # also rejects NaN
            raise ValueError(f"bad #EXTINF duration {duration!r}")

    def _byterange(self, value: str) -> None:
        self._range = _byte_range_spec(value)

    def _key_tag(self, value: str) -> None:
        attributes = parse_attributes(value)
        method = _required(attributes, "METHOD").upper()
        key_format = attributes.get("KEYFORMAT", "identity")
        if method in _DRM_METHODS or (method != "NONE" and key_format != "identity"):
            raise VdpError(
                ErrorCode.DRM_PROTECTED,
                f"The stream is DRM-protected ({method}, KEYFORMAT {key_format}); it cannot be downloaded",
            )
        if method == "NONE":
            self._key = None
        elif method == "AES-128":
            iv = attributes.get("IV")
            self._key = Key(self._resolve(_required(attributes, "URI")), _iv(iv) if iv else None)
        else:
            raise VdpError(ErrorCode.DRM_PROTECTED, f"Unsupported stream encryption method {method}")

    def _map(self, value: str) -> None:
        attributes = parse_attributes(value)
        spec = attributes.get("BYTERANGE")
        byte_range = None
        if spec:
            length, offset = _byte_range_spec(spec)
            byte_range = ByteRange(offset or 0, length)
        self._init = InitSection(self._resolve(_required(attributes, "URI")), byte_range, self._key)

    def _media_sequence_tag(self, value: str) -> None:
        if self._segments:
            raise ValueError("#EXT-X-MEDIA-SEQUENCE after the first segment")
        self._media_sequence = _decimal(value, "#EXT-X-MEDIA-SEQUENCE")

    def _discontinuity_tag(self, _value: str) -> None:
        self._discontinuity = True

    def _endlist(self, _value: str) -> None:
        self._ended = True

    def _playlist_type(self, value: str) -> None:
        if value.strip().upper() == "VOD":
            self._ended = True

    _TAGS = {
        "#EXT-X-STREAM-INF": _stream_inf,
        "#EXT-X-MEDIA": _media,
        "#EXTINF": _extinf,
        "#EXT-X-BYTERANGE": _byterange,
        "#EXT-X-KEY": _key_tag,
        "#EXT-X-MAP": _map,
        "#EXT-X-MEDIA-SEQUENCE": _media_sequence_tag,
        "#EXT-X-DISCONTINUITY": _discontinuity_tag,
        "#EXT-X-ENDLIST": _endlist,
        "#EXT-X-PLAYLIST-TYPE": _playlist_type,
    }

    # -- helpers ---------------------------------------------------------------------------------------------

    def _resolve(self, uri: str) -> str:
        # A plain relative path (the common case, 200,000 times in a big playlist) is appended to the folder;
        # anything else (scheme, absolute path, dot segments) goes through urljoin. The results are the same.
        uri = uri.strip()
        path = uri.partition("?")[0]
        simple_path = path and path[0] not in "/." and not any(s in path for s in (":", "/.", "//"))
        if self._folder and simple_path and "#" not in uri and not uri.endswith("?"):
            return self._folder + uri
        resolved = urljoin(self._url, uri)
        if urlsplit(resolved).scheme not in ("http", "https"):
            raise ValueError(f"unsupported URI {uri[:80]!r} (only http and https)")
        return resolved

    def _count_master_entry(self) -> None:
        if len(self._variants) + len(self._audio) >= self._limits.max_variants:
            raise VdpError(
                ErrorCode.INVALID_PLAYLIST, f"Playlist has more than {self._limits.max_variants} variants: {self._url}"
            )


def _required(attributes: dict[str, str], name: str) -> str:
    value = attributes.get(name)
    if not value:
        raise ValueError(f"missing {name} attribute")
    return value


def _decimal(value: str, what: str) -> int:
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        raise ValueError(f"bad {what} value {value[:40]!r}")
    return int(value)


def _resolution(value: str) -> tuple[int, int]:
    width, x, height = value.lower().partition("x")
    if not x:
        raise ValueError(f"bad RESOLUTION {value[:40]!r}")
    return _decimal(width, "RESOLUTION"), _decimal(height, "RESOLUTION")


def _byte_range_spec(value: str) -> tuple[int, Optional[int]]:
    """`n[@o]` → (length, offset or None)."""
    length, at, offset = value.strip().partition("@")
    return _decimal(length, "byte range length"), (_decimal(offset, "byte range offset") if at else None)


def _iv(value: str) -> bytes:
    digits = value[2:] if value[:2] in ("0x", "0X") else value
    if _HEX_IV.fullmatch(digits) is None:
        raise ValueError(f"bad IV {value[:40]!r}")
    return int(digits, 16).to_bytes(16, "big")
