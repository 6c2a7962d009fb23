"""Where user input becomes a task: pasted links, sheet rows, `vdp get` URLs, playlist entries and tasks a client
built itself. One id scheme (`task_<uuid7 hex>`), one URL check (http(s) links only), one rule for the engine:
a decision made by a probe or by the user is kept with its reason; otherwise the URL decides, with no network
(thousands of sheet rows arrive at once), and links no rule decides go to the HTTP engine, which recognises a web
page and says so.

Callers: bridge/handlers/downloads.py (paste box, `add_download_tasks`), imports.py (sheets, migration),
media.py (playlists), cli/get.py (`vdp get`). Adding the tasks (one `AddTasks` command) stays with them.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from .contract import DownloaderType, VideoInfo, VideoTask
from .engines.naming import filename_from_url
from .engines.routing import RouteDecision, require_http_url, route_by_url
from .errors import VdpError
from .lean_models import lean

if TYPE_CHECKING:
    from .importers import ImportTask

CHOSEN_BY_USER = "chosen by the user"
NO_RULE = "no rule matched: direct download"
PLAYLIST_ENTRY = "playlist entry"


_ID_BATCH = 256
_id_lock = threading.Lock()
_id_pool: list[str] = []
_id_pool_pid = 0


def new_task_id() -> str:
    """`task_<32 hex digits>`: a UUID of version 7, the creation time in milliseconds followed by 74 random bits.

    Time first, so a batch's ids grow: the database's indexes on the id take them at their end instead of at 200,000
    random places (a big import's inserts slowed from 40 to 250 ms per 500 tasks as the table grew). The random bytes
    are drawn 256 ids at a time: `os.urandom` per id let go of the interpreter lock and took it back at once, and
    200,000 such hand-overs on the import thread kept the event loop's thread from the lock for 100-400 ms at a time
    (docs/benchmarks.md)."""
    global _id_pool_pid
    with _id_lock:
        if not _id_pool or _id_pool_pid != os.getpid():  # a forked child must not hand out its parent's ids
            raw = os.urandom(10 * _ID_BATCH).hex()
            _id_pool[:] = [raw[i:i + 20] for i in range(0, len(raw), 20)]
            _id_pool_pid = os.getpid()
        random_hex = _id_pool.pop()
    # 48 bits of time, version 7, 12 random bits, the variant (0b10) with 2 random bits, 60 random bits (RFC 9562)
    return f"task_{time.time_ns() // 1_000_000:012x}7{random_hex[:3]}{_VARIANT[random_hex[3]]}{random_hex[4:19]}"


_VARIANT = {digit: "89ab"[int(digit, 16) & 3] for digit in "0123456789abcdef"}


def checked_url(url: str) -> str:
    """The link without surrounding blanks; VdpError(INVALID_URL) unless it is an http(s) link with a host."""
    url = url.strip()
    require_http_url(url)
    return url


def task_for_link(url: str, output: str, decision: RouteDecision, *, options: Optional[dict[str, str]] = None,
                  at: Optional[datetime] = None) -> VideoTask:
    """A link pasted or given to `vdp get`, routed by a probe (or forced by the user) before it gets here; titled by
    its file name until a better title is known. `at`: the time of the batch it arrived with (one for all of them)."""
    url = checked_url(url)
    return VideoTask(id=new_task_id(), url=url, title=filename_from_url(url) or url, output_path=output,
                     downloader_type=decision.downloader_type, routing_reason=decision.reason,
                     engine_options=dict(options or {}), **_arrival(at))


def task_for_row(row: "ImportTask", title: str, *, at: Optional[datetime] = None) -> VideoTask:
    """A sheet row (its folder and file stem already chosen by the import layout), routed by its URL."""
    options = {"file_stem": row.file_stem} if row.file_stem else {}  # the course layout's `NN 课程名称`
    return lean(prepared(VideoTask(id=new_task_id(), url=row.url, title=title, output_path=row.output_path,
                                   video_info=row.video_info, engine_options=options, **_arrival(at))))


def task_for_playlist_entry(entry: VideoInfo, output: str, *, at: Optional[datetime] = None) -> Optional[VideoTask]:
    """An entry yt-dlp listed in a playlist, downloaded by yt-dlp and titled by the entry's own title; None when it has
    no http(s) link (the playlist's other entries are still added)."""
    try:
        url = checked_url(entry.url or "")
    except VdpError:
        return None
    return VideoTask(id=new_task_id(), url=url, title=entry.kc_name or url, output_path=output,
                     downloader_type=DownloaderType.YOUTUBE, routing_reason=PLAYLIST_ENTRY, video_info=entry,
                     **_arrival(at))


def _arrival(at: Optional[datetime]) -> dict[str, datetime]:
    """A batch shares one creation time, so the queue order (not the clock) orders its tasks."""
    return {} if at is None else {"created_at": at, "updated_at": at}


def prepared(task: VideoTask) -> VideoTask:
    """A task built elsewhere (a client's `add_download_tasks`, a sheet row, a migrated task): its URL checked and its
    engine decided here, once, with the reason. The client's id is kept (the original's clients make their own)."""
    require_http_url(task.url)
    if task.downloader_type is not None:
        task.routing_reason = task.routing_reason or CHOSEN_BY_USER
    else:
        decision = route_by_url(task.url)
        task.downloader_type = decision.downloader_type if decision else DownloaderType.HTTP
        task.routing_reason = decision.reason if decision else NO_RULE
    return task
