"""The YouTube commands answer the original's fallbacks when yt-dlp fails (no network: yt-dlp is made to fail)."""

from __future__ import annotations

import json

import pytest

from tests.support.appkit import AppKit
from vdp.engines import ytdlp
from vdp.errors import ErrorCode, VdpError


@pytest.fixture
def ytdlp_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    async def fail(*_args: object, **_kwargs: object) -> object:
        raise VdpError(ErrorCode.NETWORK, "yt-dlp could not reach the site")

    for name in ("get_youtube_info", "get_youtube_formats", "expand_playlist"):
        monkeypatch.setattr(ytdlp, name, fail)


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


DEFAULT_FORMATS = ('[{"format_id":"best","ext":"mp4","width":null,"height":null,"fps":null,"vbr":null,"abr":null,'
                   '"filesize":null,"quality":"Best Quality"},{"format_id":"worst","ext":"mp4","width":null,'
                   '"height":null,"fps":null,"vbr":null,"abr":null,"filesize":null,"quality":"Worst Quality"}]')


async def test_video_info_and_formats_fall_back_as_the_original(kit: AppKit, ytdlp_fails: None) -> None:
    info = await kit.call("get_youtube_info", url="https://www.youtube.com/watch?v=abc123&t=5")
    assert _compact(info) == (
        '{"id":"abc123","title":"YouTube Video abc123","description":"Description not available (fallback mode)",'
        f'"duration":0,"thumbnail":"https://img.youtube.com/vi/abc123/maxresdefault.jpg","formats":{DEFAULT_FORMATS},'
        '"subtitles":[]}')
    assert _compact(await kit.call("get_youtube_formats", url="https://youtu.be/abc123")) == DEFAULT_FORMATS


async def test_a_playlist_falls_back_to_nothing(kit: AppKit, ytdlp_fails: None) -> None:
    assert await kit.call("download_youtube_playlist", playlistUrl="https://www.youtube.com/playlist?list=PL1",
                          maxVideos=0) == []
    with pytest.raises(VdpError, match="^YouTube error: Could not extract video ID from URL$"):
        await kit.call("get_youtube_info", url="https://www.youtube.com/watch?x=1")
