"""The user's format choice ("best", "audio", a max height, a format id) as a yt-dlp format selector."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from ...contract import ErrorCode
from ...errors import VdpError

_HEIGHT = re.compile(r"^(\d{2,4})p?$", re.IGNORECASE)

NO_MERGE_WARNING = (
    "ffmpeg was not found, so a single file that already holds video and audio is downloaded instead of "
    "merging the best separate video and audio streams (install ffmpeg or set its path for the best quality)"
)


@dataclass(frozen=True, slots=True)
class FormatChoice:
    selector: str
    warning: Optional[str] = None  # why a lesser, merge-free selector was used


def choose_format(choice: str, *, ffmpeg: bool, resumed_format_id: Optional[str] = None) -> FormatChoice:
    """Merging separate streams needs ffmpeg; without it only formats that already hold both are chosen.

    A resumed download asks for the format it started with first, so yt-dlp continues the same `.part` file.
    """
    wanted = (choice or "best").strip()
    height = _HEIGHT.match(wanted)
    if wanted.lower() == "best":
        chosen = FormatChoice("bv*+ba/b") if ffmpeg else FormatChoice("b/bv*/ba", NO_MERGE_WARNING)
    elif wanted.lower() == "audio":
        chosen = FormatChoice("ba/b")
    elif height:
        h = int(height.group(1))
        chosen = (
            FormatChoice(f"bv*[height<=?{h}]+ba/b[height<=?{h}]/b")
            if ffmpeg
            else FormatChoice(f"b[height<=?{h}]/b/bv*[height<=?{h}]", NO_MERGE_WARNING)
        )
    elif "+" in wanted and not ffmpeg:
        raise VdpError(
            ErrorCode.FFMPEG_MISSING,
            f"Format {wanted!r} merges separate streams, which needs ffmpeg: install ffmpeg or choose another format",
        )
    else:
        chosen = FormatChoice(wanted)
    if resumed_format_id and (ffmpeg or "+" not in resumed_format_id):
        return FormatChoice(f"{resumed_format_id}/{chosen.selector}", chosen.warning)
    return chosen
