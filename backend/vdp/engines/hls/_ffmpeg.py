"""ffmpeg as an optional helper: stream copy (never re-encoding) of the assembled stream into MP4."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from typing import Optional


def find_ffmpeg(configured: Optional[str]) -> Optional[str]:
    """The configured ffmpeg if it is an executable file, else ffmpeg from PATH when nothing is configured."""
    if configured:
        return configured if os.path.isfile(configured) and os.access(configured, os.X_OK) else None
    return shutil.which("ffmpeg")


async def remux(ffmpeg: str, video: Path, audio: Optional[Path], output: Path) -> Optional[str]:
    """Copy the streams of `video` (and the separate `audio`) into the MP4 `output`. Returns why it failed, or None."""
    args = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", str(video)]
    if audio is None:
        args += ["-map", "0:v?", "-map", "0:a?"]  # not data streams (e.g. timed ID3), which MP4 cannot hold
    else:
        args += ["-i", str(audio), "-map", "0:v", "-map", "1:a"]
    args += ["-c", "copy", "-f", "mp4", str(output)]
    try:
        process = await asyncio.create_subprocess_exec(
            *args, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
        )
    except OSError as exc:
        return f"could not start {ffmpeg}: {exc}"
    try:
        _, stderr = await process.communicate()
    except asyncio.CancelledError:
        process.kill()
        await process.wait()
        raise
    if process.returncode != 0:
        detail = stderr.decode("utf-8", errors="replace").strip()[-300:]
        return f"ffmpeg exited with code {process.returncode}: {detail}"
    if not output.is_file() or output.stat().st_size == 0:
        return "ffmpeg produced no output"
    return None
