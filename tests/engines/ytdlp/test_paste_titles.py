"""Pasted links: each is probed (a few at a time) to choose its engine; a web page then gets its real title."""

from __future__ import annotations

from pathlib import Path

from tests.support.appkit import running_app

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
