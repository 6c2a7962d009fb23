"""The HLS (M3U8) transfer engine. See `engine.py` for the decisions (live streams, audio, remux, resume)."""

from .engine import HlsEngine
from .playlist import MasterPlaylist, MediaPlaylist, PlaylistLimits, parse_playlist

__all__ = ["HlsEngine", "MasterPlaylist", "MediaPlaylist", "PlaylistLimits", "parse_playlist"]
