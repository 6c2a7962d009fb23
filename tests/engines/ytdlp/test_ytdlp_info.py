"""Metadata commands against real pages on 127.0.0.1, extracted by yt-dlp's own extractors."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from yt_dlp.networking import Response
from yt_dlp.networking.exceptions import HTTPError, TransportError
from yt_dlp.utils import DownloadError, ExtractorError, GeoRestrictedError

from vdp.contract import DownloadConfig, ErrorCode
from vdp.engines.ytdlp import (
    check_ffmpeg,
    check_yt_dlp,
    classify_ytdlp_error,
    expand_playlist,
    get_video_info,
    get_youtube_formats,
    get_youtube_info,
    quality_label,
)
from vdp.errors import VdpError


async def test_info_of_a_page_with_a_video_tag(media_site):
    info = await get_youtube_info(media_site.url("video.html"))
    assert info.title.startswith("Sample Clip")
    assert info.id
    [fmt] = info.formats
    assert fmt.ext == "mp4"
    assert fmt.height is None and fmt.quality == fmt.format_id  # no height: the label is the format id


async def test_formats_carry_heights_labels_and_subtitles(media_site):
    info = await get_youtube_info(media_site.url("sources.html"))
    assert sorted((f.height, f.quality) for f in info.formats) == [(360, "360p"), (720, "720p")]
    [track] = info.subtitles
    assert (track.language, track.language_code, track.ext) == ("en", "en", "vtt")
    assert track.url == media_site.url("en.vtt")


async def test_hls_variants_found_through_the_page_are_formats(media_site):
    formats = await get_youtube_formats(media_site.url("master.html"))
    assert sorted(f.quality for f in formats) == ["4K", "720p"]
    assert {f.width for f in formats} == {1280, 3840}


async def test_og_video_page(media_site):
    info = await get_youtube_info(media_site.url("og.html"))
    assert info.title == "OG Title"
    assert [f.ext for f in info.formats] == ["mp4"]


async def test_video_info_is_json_safe_and_names_the_extractor(media_site):
    info = await get_video_info(media_site.url("video.html"))
    assert json.loads(json.dumps(info)) == info
    assert info["title"].startswith("Sample Clip")
    assert info["url"] == media_site.url("video.html")
    assert info["extractor"] and info["formats"][0]["ext"] == "mp4"


async def test_page_without_media_is_an_unsupported_site(media_site):
    with pytest.raises(VdpError) as err:
        await get_youtube_info(media_site.url("plain.html"))
    assert err.value.code is ErrorCode.UNSUPPORTED_SITE
    assert "ERROR" not in err.value.message


async def test_missing_page_is_unavailable(media_site):
    with pytest.raises(VdpError) as err:
        await get_video_info(media_site.url("missing.html"))
    assert err.value.code is ErrorCode.UNAVAILABLE
    assert "404" in err.value.message


@pytest.mark.parametrize("url", ["ftp://example.com/a.mp4", "file:///etc/passwd", "not a url"])
async def test_non_http_links_are_refused_before_extraction(url):
    with pytest.raises(VdpError) as err:
        await get_youtube_info(url)
    assert err.value.code is ErrorCode.INVALID_URL


async def test_missing_cookies_file_is_reported(media_site, tmp_path):
    config = DownloadConfig(cookies_file=str(tmp_path / "cookies.txt"))
    with pytest.raises(VdpError) as err:
        await get_youtube_info(media_site.url("video.html"), config)
    assert err.value.code is ErrorCode.IO_ERROR and "cookies.txt" in err.value.message


async def test_playlist_page_expands_into_one_row_per_video(media_site):
    rows = await expand_playlist(media_site.url("two.html"))
    assert [r.url for r in rows] == [media_site.url("clip_360.mp4"), media_site.url("second.mp4")]
    for row in rows:
        assert row.id == row.zl_id == row.kc_id == row.course_id
        assert row.name == row.kc_name and row.name.startswith("Two Videos")
        assert row.record_url == row.url and row.course_name is None

    [first] = await expand_playlist(media_site.url("two.html"), max_videos=1)
    assert first.url == media_site.url("clip_360.mp4")


async def test_single_video_page_expands_into_itself(media_site):
    [row] = await expand_playlist(media_site.url("video.html"))
    assert row.url == media_site.url("video.html")
    assert row.name.startswith("Sample Clip")


async def test_tool_checks(tmp_path):
    assert await check_yt_dlp() is True
    assert await check_ffmpeg() is (shutil.which("ffmpeg") is not None)
    assert await check_ffmpeg(str(tmp_path / "no-such-ffmpeg")) is False


@pytest.mark.parametrize(
    ("height", "label"), [(2160, "4K"), (1440, "1440p"), (1080, "1080p"), (144, "144p"), (1000, "1000p"), (None, "137")]
)
def test_quality_labels(height, label):
    assert quality_label(height, "137") == label


def _http_error(status: int) -> HTTPError:
    return HTTPError(Response(io.BytesIO(), "http://127.0.0.1/x", {}, status=status))


def _wrapped(exc: Exception) -> DownloadError:
    """What YoutubeDL raises: a DownloadError whose exc_info holds the real cause."""
    try:
        raise exc
    except Exception as inner:
        return DownloadError(f"ERROR: {inner}", (type(inner), inner, inner.__traceback__))


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (_wrapped(GeoRestrictedError("This video is not available in your country")), ErrorCode.GEO_RESTRICTED),
        (_wrapped(ExtractorError("Private video. Sign in if you've been granted access", expected=True)),
         ErrorCode.LOGIN_REQUIRED),
        (_wrapped(ExtractorError("Sign in to confirm your age", expected=True)), ErrorCode.LOGIN_REQUIRED),
        (_wrapped(ExtractorError("Video unavailable. This video has been removed", expected=True)),
         ErrorCode.UNAVAILABLE),
        (_wrapped(ExtractorError("This video is DRM protected", expected=True)), ErrorCode.DRM_PROTECTED),
        (DownloadError("ERROR: You have requested merging of multiple formats but ffmpeg is not installed"),
         ErrorCode.FFMPEG_MISSING),
        (_wrapped(_http_error(429)), ErrorCode.RATE_LIMITED),
        (_wrapped(_http_error(503)), ErrorCode.SERVER_ERROR),
        (_wrapped(_http_error(403)), ErrorCode.FORBIDDEN),
        (_wrapped(TransportError("Connection refused")), ErrorCode.NETWORK),
        (_wrapped(TimeoutError("read timed out")), ErrorCode.TIMEOUT),
        (_wrapped(ExtractorError("Unable to extract title", expected=False)), ErrorCode.UNAVAILABLE),
        (RuntimeError("boom"), ErrorCode.INTERNAL),
    ],
)  # fmt: skip
def test_classification(exc, code):
    error = classify_ytdlp_error(exc)
    assert error.code is code
    assert not error.message.startswith("ERROR")


def test_a_video_id_that_reads_like_a_keyword_does_not_steer_classification():
    try:
        raise _http_error(404)
    except HTTPError:
        cause = ExtractorError("Unable to download webpage", video_id="login", ie="generic")
    error = classify_ytdlp_error(_wrapped(cause))
    assert error.code is ErrorCode.UNAVAILABLE and "404" in error.message


def test_bug_report_boilerplate_is_dropped():
    error = classify_ytdlp_error(_wrapped(ExtractorError("Unable to extract title")))
    assert "report" not in error.message.lower()
    assert error.message.endswith("Unable to extract title")
