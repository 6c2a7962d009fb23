"""Pasted links: each is probed (a few at a time) to choose its engine; a web page then gets its real title."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.appkit import running_app
from vdp.errors import VdpError

from .media_site import MediaSite


async def test_a_pasted_page_is_routed_to_yt_dlp_and_retitled(media_site: MediaSite, tmp_path: Path) -> None:
    async with running_app(tmp_path / "data") as kit:
        (added,) = await kit.call("add_urls", urls=[media_site.url("video.html")])
        assert added["downloader_type"] == "Youtube" and added["title"] == "video.html"
        event = await kit.wait_for(lambda e: e.name == "task_updated" and e.payload.id == added["id"])
        title = event.payload.title  # yt-dlp's own title for the page's video
        assert title.startswith("Sample Clip")
        assert kit.task(added["id"]).title == title
        tasks = await kit.app.repo.load_tasks()
        assert [t.title for t in tasks] == [title], "the new title is saved, not only shown"


async def test_a_playlist_page_becomes_one_task_per_video_on_request(media_site: MediaSite, tmp_path: Path) -> None:
    async with running_app(tmp_path / "data") as kit:
        # Without `enqueue` the command answers as the original: YouTube playlist URLs only (docs/contract.md).
        with pytest.raises(VdpError, match="^YouTube error: Invalid YouTube playlist URL: "):
            await kit.call("download_youtube_playlist", playlistUrl=media_site.url("two.html"))
        assert await kit.call("get_download_tasks") == []
        again = await kit.call("download_youtube_playlist", playlistUrl=media_site.url("two.html"), enqueue=True,
                               outputPath=str(tmp_path / "course"))
        tasks = await kit.call("get_download_tasks")
        assert sorted(t["url"] for t in tasks) == sorted(r["url"] for r in again)
        assert {t["downloader_type"] for t in tasks} == {"Youtube"}
        assert {t["output_path"] for t in tasks} == {str(tmp_path / "course")}
