"""Choosing a variant of a master playlist, and the audio rendition it needs."""

from __future__ import annotations

import re
from typing import Optional

from ...contract import ErrorCode
from ...errors import VdpError
from .playlist import MasterPlaylist, Rendition, Variant

_MAX_HEIGHT = re.compile(r"(\d{1,5})p?")
_AUDIO_CODECS = ("mp4a", "ac-3", "ec-3", "opus", "flac", "mp3", "alac")


def select_variant(master: MasterPlaylist, preference: str) -> Variant:
    """`preference` is "highest" (default), "lowest", or a maximum height such as "720" or "720p"."""
    # Audio-only variants are candidates only when nothing else exists, so "lowest" never means "no picture".
    video = [v for v in master.variants if not _audio_only(v)] or list(master.variants)
    choice = preference.strip().lower() or "highest"
    if choice in ("highest", "best"):
        return max(video, key=_rank)
    if choice in ("lowest", "worst"):
        return min(video, key=_rank)
    match = _MAX_HEIGHT.fullmatch(choice)
    if match is None:
        raise VdpError(
            ErrorCode.INTERNAL, f"Unknown HLS quality {preference!r}: use highest, lowest, or a max height such as 720"
        )
    limit = int(match.group(1))
    sized = [v for v in video if v.resolution is not None]
    fitting = [v for v in sized if v.resolution[1] <= limit]  # type: ignore[index]
    if fitting:
        return max(fitting, key=_rank)
    if sized:  # everything is taller than asked: the smallest picture is the closest
        return min(sized, key=_rank)
    return max(video, key=_rank)  # no RESOLUTION anywhere: the height cannot be honoured


def select_audio(master: MasterPlaylist, variant: Variant) -> Optional[Rendition]:
    """The separate audio playlist the variant needs, or None when its audio is muxed in."""
    group = [r for r in master.audio if r.group_id == variant.audio_group and r.uri is not None]
    if not group:
        return None
    return next((r for r in group if r.default), None) or next((r for r in group if r.autoselect), group[0])


def _rank(variant: Variant) -> tuple[int, int]:
    return variant.bandwidth, variant.resolution[1] if variant.resolution else 0


def _audio_only(variant: Variant) -> bool:
    if variant.resolution is not None or not variant.codecs:
        return False
    codecs = [c.strip().lower() for c in variant.codecs.split(",")]
    return all(c.startswith(_AUDIO_CODECS) for c in codecs)
