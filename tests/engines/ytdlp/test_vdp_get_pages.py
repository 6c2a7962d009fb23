"""`vdp get` on a web page: the link is probed, routed to yt-dlp, and the video lands under its title."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from pathlib import Path

from .media_site import MEDIA, MediaSite, sha256


async def test_vdp_get_on_a_page_downloads_its_video(media_site: MediaSite, tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "vdp", "--data-dir", str(tmp_path / "data"), "get", media_site.url("video.html"),
        "-o", str(tmp_path / "out"), "--json", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()[-2000:]
    events = [json.loads(line) for line in out.decode().splitlines()]
    (added,) = [e["payload"] for e in events if e["event"] == "task_added"]
    assert added["downloader_type"] == "Youtube" and "web page" in added["routing_reason"]
    assert re.fullmatch(r"task_[0-9a-f]{32}", added["id"])  # the same ids as tasks the app makes (vdp/intake.py)
    (video,) = (tmp_path / "out").iterdir()
    assert video.name.startswith("Sample Clip") and video.suffix == ".mp4"
    assert sha256(video.read_bytes()) == sha256(MEDIA["clip.mp4"])
