"""The playlist parser and variant selection, on text written here."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, strategies as st

from vdp.contract import ErrorCode
from vdp.engines.hls import MasterPlaylist, MediaPlaylist, PlaylistLimits, parse_playlist
from vdp.engines.hls._attributes import parse_attributes
from vdp.engines.hls._select import select_audio, select_variant
from vdp.engines.hls.playlist import ByteRange, Key
from vdp.errors import VdpError

BASE = "https://cdn.example/shows/ep1/index.m3u8"

MASTER = """#EXTM3U
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="English, main",LANGUAGE="en",DEFAULT=YES,URI="audio/en.m3u8"
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="French",LANGUAGE="fr",URI="audio/fr.m3u8"
#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",URI="subs/en.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2",AUDIO="aud"
360p/index.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=2500000,RESOLUTION=1280x720,CODECS="avc1.4d401f,mp4a.40.2",AUDIO="aud"
720p/index.m3u8?token=a=b,c
#EXT-X-STREAM-INF:BANDWIDTH=5000000,RESOLUTION=1920x1080,CODECS="avc1.640028,mp4a.40.2",AUDIO="aud"
/abs/1080p.m3u8
#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS="mp4a.40.2"
audio-only.m3u8
"""


def parse(text: str, limits: PlaylistLimits = PlaylistLimits()):
    return parse_playlist(text.encode(), BASE, limits)


def error_of(text: str | bytes, limits: PlaylistLimits = PlaylistLimits()) -> VdpError:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(VdpError) as caught:
        parse_playlist(data, BASE, limits)
    return caught.value


def test_attribute_values_may_hold_commas_and_equals_when_quoted():
    attributes = parse_attributes('METHOD=AES-128,URI="https://k.example/key?a=1,b=2",IV=0x1f')
    assert attributes == {"METHOD": "AES-128", "URI": "https://k.example/key?a=1,b=2", "IV": "0x1f"}


@pytest.mark.parametrize("text", ['URI="unterminated', "NOVALUE", 'A=b"c'])
def test_malformed_attribute_lists_are_rejected(text):
    with pytest.raises(ValueError):
        parse_attributes(text)


def test_master_playlist_variants_and_audio_renditions():
    master = parse(MASTER)
    assert isinstance(master, MasterPlaylist)
    assert [v.uri for v in master.variants] == [
        "https://cdn.example/shows/ep1/360p/index.m3u8",
        "https://cdn.example/shows/ep1/720p/index.m3u8?token=a=b,c",
        "https://cdn.example/abs/1080p.m3u8",
        "https://cdn.example/shows/ep1/audio-only.m3u8",
    ]
    assert master.variants[1].resolution == (1280, 720)
    assert master.variants[1].codecs == "avc1.4d401f,mp4a.40.2"
    assert master.variants[1].audio_group == "aud"
    assert [(r.name, r.uri, r.default) for r in master.audio] == [
        ("English, main", "https://cdn.example/shows/ep1/audio/en.m3u8", True),
        ("French", "https://cdn.example/shows/ep1/audio/fr.m3u8", False),
    ]


@pytest.mark.parametrize(
    ("preference", "height"),
    [("highest", 1080), ("", 1080), ("lowest", 360), ("720", 720), ("720p", 720), ("1000", 720), ("100", 360)],
)
def test_variant_selection(preference, height):
    master = parse(MASTER)
    assert isinstance(master, MasterPlaylist)
    assert select_variant(master, preference).resolution[1] == height


def test_unknown_quality_is_a_clear_error():
    master = parse(MASTER)
    assert isinstance(master, MasterPlaylist)
    with pytest.raises(VdpError, match="Unknown HLS quality 'ultra'"):
        select_variant(master, "ultra")


def test_audio_rendition_prefers_the_default_and_ignores_muxed_groups():
    master = parse(MASTER)
    assert isinstance(master, MasterPlaylist)
    chosen = select_audio(master, master.variants[0])
    assert chosen is not None and chosen.name == "English, main"
    assert select_audio(master, master.variants[3]) is None


def test_media_playlist_keys_rotation_ranges_maps_sequence_and_discontinuity():
    playlist = parse(
        """#EXTM3U
#EXT-X-TARGETDURATION:6
#EXT-X-MEDIA-SEQUENCE:40
#EXT-X-MAP:URI="init.mp4",BYTERANGE="700@0"
#EXTINF:6.0,
#EXT-X-BYTERANGE:1000@700
media.mp4
#EXT-X-KEY:METHOD=AES-128,URI="keys/k1.bin",IV=0x000102030405060708090a0b0c0d0e0f
#EXTINF:6.0,
#EXT-X-BYTERANGE:500
media.mp4
#EXT-X-KEY:METHOD=AES-128,URI="keys/k2.bin"
#EXT-X-DISCONTINUITY
#EXTINF:5.5,title, with comma
../other/seg.ts
#EXT-X-KEY:METHOD=NONE
#EXTINF:2,
#EXT-X-BYTERANGE:300
media.mp4
#EXT-X-ENDLIST
"""
    )
    assert isinstance(playlist, MediaPlaylist) and playlist.ended
    first, second, third, fourth = playlist.segments
    assert [s.sequence for s in playlist.segments] == [40, 41, 42, 43]
    assert first.init is not None and first.init.byte_range == ByteRange(0, 700)
    assert first.byte_range == ByteRange(700, 1000) and first.key is None
    assert second.byte_range == ByteRange(1700, 500)  # running offset
    assert second.key == Key("https://cdn.example/shows/ep1/keys/k1.bin", bytes(range(16)))
    assert third.key == Key("https://cdn.example/shows/ep1/keys/k2.bin", None)
    assert third.uri == "https://cdn.example/shows/other/seg.ts" and third.discontinuity and third.duration == 5.5
    assert third.byte_range is None
    assert fourth.key is None and fourth.byte_range == ByteRange(0, 300)  # previous segment was another file


def test_a_playlist_without_endlist_is_reported_live_unless_vod():
    assert parse("#EXTM3U\n#EXTINF:4,\na.ts\n").ended is False
    assert parse("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXTINF:4,\na.ts\n").ended is True


@pytest.mark.parametrize(
    "key_tag",
    [
        '#EXT-X-KEY:METHOD=SAMPLE-AES,URI="skd://key"',
        '#EXT-X-KEY:METHOD=SAMPLE-AES-CTR,URI="https://k/k"',
        '#EXT-X-KEY:METHOD=AES-128,URI="https://k/k",KEYFORMAT="com.apple.streamingkeydelivery"',
    ],
)
def test_drm_is_refused(key_tag):
    error = error_of(f"#EXTM3U\n{key_tag}\n#EXTINF:4,\na.ts\n#EXT-X-ENDLIST\n")
    assert error.code is ErrorCode.DRM_PROTECTED and "DRM" in error.message


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("not a playlist", ErrorCode.INVALID_PLAYLIST, "no #EXTM3U"),
        ("<!doctype html><html><body>login</body></html>", ErrorCode.GOT_HTML_PAGE, "web page"),
        ("#EXTM3U\n#EXT-X-ENDLIST\n", ErrorCode.INVALID_PLAYLIST, "no segments"),
        ("#EXTM3U\n#EXTINF:abc,\na.ts\n", ErrorCode.INVALID_PLAYLIST, "line 2: bad #EXTINF"),
        ("#EXTM3U\n#EXT-X-STREAM-INF:RESOLUTION=1x1\na.m3u8\n", ErrorCode.INVALID_PLAYLIST, "missing BANDWIDTH"),
        ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n", ErrorCode.INVALID_PLAYLIST, "without a URI"),
        ("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n#EXTINF:1,\na.ts\n", ErrorCode.INVALID_PLAYLIST, "mixes"),
        ("#EXTM3U\n#EXTINF:1,\nftp://h/a.ts\n", ErrorCode.INVALID_PLAYLIST, "only http and https"),
        ('#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI="k",IV=0xZZ\n', ErrorCode.INVALID_PLAYLIST, "bad IV"),
        ("#EXTM3U\n#EXTINF:1,\na.ts\n#EXT-X-MEDIA-SEQUENCE:3\n", ErrorCode.INVALID_PLAYLIST, "after the first"),
    ],
)
def test_bad_playlists_get_clear_errors(text, code, words):
    error = error_of(text)
    assert error.code is code and words in error.message


def test_hostile_sizes_are_rejected():
    limits = PlaylistLimits(max_bytes=1000, max_line_chars=100, max_segments=5, max_variants=3)
    assert "larger than 1000 bytes" in error_of("#EXTM3U\n" + "#" * 2000, limits).message
    assert "longer than 100 characters" in error_of("#EXTM3U\n" + "a" * 101 + "\n", limits).message
    assert "more than 5 segments" in error_of("#EXTM3U\n" + "#EXTINF:1,\na.ts\n" * 6, limits).message
    variants = "".join(f"#EXT-X-STREAM-INF:BANDWIDTH={i}\nv{i}.m3u8\n" for i in range(4))
    assert "more than 3 variants" in error_of("#EXTM3U\n" + variants, limits).message
    # Within the limits, the same shapes parse.
    assert len(parse("#EXTM3U\n" + "#EXTINF:1,\na.ts\n" * 5, limits).segments) == 5


def test_default_segment_limit_is_two_hundred_thousand():
    too_many = "#EXTM3U\n" + "#EXTINF:1,\ns.ts\n" * 200_001 + "#EXT-X-ENDLIST\n"
    assert error_of(too_many).message.endswith(f"more than 200000 segments: {BASE}")


@given(
    st.text(alphabet="ab./:?#=&%-_~", min_size=1, max_size=20).filter(lambda s: s.strip() == s and s[0] != "#"),
    st.sampled_from(["https://h.example/a/b/index.m3u8?x=1", "http://h.example/i.m3u8", "https://h.example/a/"]),
)
def test_relative_uris_resolve_exactly_like_urljoin(uri, base):
    expected = urljoin(base, uri)
    try:
        playlist = parse_playlist(f"#EXTM3U\n#EXTINF:1,\n{uri}\n".encode(), base)
    except VdpError:
        assert urlsplit(expected).scheme not in ("http", "https")
        return
    assert playlist.segments[0].uri == expected
