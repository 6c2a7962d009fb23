"""yt-dlp facing models (docs/contract.md)."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from ._wire import WireModel


class VideoFormat(WireModel):
    format_id: str
    ext: str
    width: Optional[int] = None
    height: Optional[int] = None
    fps: Optional[float] = None
    vbr: Optional[float] = None
    abr: Optional[float] = None
    filesize: Optional[int] = None
    quality: str


class SubtitleTrack(WireModel):
    language: str
    language_code: str
    url: str
    ext: str = "vtt"


class YoutubeVideoInfo(WireModel):
    id: str
    title: str
    description: str = ""
    duration: int = 0
    thumbnail: str = ""
    formats: list[VideoFormat] = Field(default_factory=list)
    subtitles: list[SubtitleTrack] = Field(default_factory=list)
