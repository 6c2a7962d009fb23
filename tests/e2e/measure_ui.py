"""How smooth the task list stays with 10,000 tasks: frame gaps while scrolling and while 200 tasks report progress.

    python -m tests.e2e.measure_ui [--tasks 10000] [--progress-tasks 200] [--seconds 4]

Runs the real `vdp serve` on a temp data dir and the built UI in headless Chromium (1280x800). Tasks go in through
`add_download_tasks` in chunks; the page receives them as `task_added` events, like any other client. Frame
times come from requestAnimationFrame timestamps collected in the page. The progress load is what the backend's
coalescer sends for 200 busy tasks: one batch every 60 ms holding one `download_progress` per task, parsed from
JSON and fed through the bridge's event entry point (`window.__vdp_emit`), so it takes the same path through the
dispatcher, the reducer and React as events from the WebSocket. (A real run cannot have 200 transfers at once:
`concurrent_downloads` is capped at 64.) Prints one JSON object: gaps between frames in ms (p50/p95/max), frame
count and long tasks (> 50 ms) per scenario.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect, sync_playwright

from .chromium import VIEWPORT, launch
from .served_app import ServedApp

CHUNK = 1000
COALESCER_INTERVAL_MS = 60  # vdp.bridge.coalescer.BATCH_INTERVAL

# Collects rAF timestamps and long tasks for `seconds`, calling `perFrame(i)` each frame (scrolling), or running
# `everyMs` callbacks on a timer (event load). Returns the timestamps and the long-task durations.
_RECORD_JS = """
async ({ seconds, scrollStep, progressIds, everyMs }) => {
  const list = document.querySelector('[data-testid=task-list] .table-body');  // the grid's scrolling body
  list.scrollTop = 0;  // every scenario starts at the top, where the busy rows are
  const longTasks = [];
  const observer = new PerformanceObserver((entries) => {
    for (const entry of entries.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  let timer = null;
  if (progressIds.length) {
    let tick = 0;
    timer = setInterval(() => {
      tick += 1;
      const batch = progressIds.map((id, n) => {
        const downloaded = Math.min(100, tick * 0.2 + (n % 7)) * 1048576;
        return { event: 'download_progress', payload: {
          task_id: id, downloaded, total: 104857600, speed: 2097152, smoothed_speed: 2097152,
          eta_secs: Math.round((104857600 - downloaded) / 2097152), progress: downloaded / 104857600,
          downloaded_size: downloaded, total_size: 104857600, eta: null } };
      });
      window.__vdp_emit(JSON.parse(JSON.stringify(batch)));  // the WebSocket hands over text
    }, everyMs);
  }
  const stamps = [];
  const end = performance.now() + seconds * 1000;
  await new Promise((resolve) => {
    const frame = (now) => {
      stamps.push(now);
      if (scrollStep) {
        list.scrollTop += scrollStep;
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) scrollStep = -Math.abs(scrollStep);
        if (list.scrollTop <= 0) scrollStep = Math.abs(scrollStep);
      }
      if (now < end) requestAnimationFrame(frame); else resolve();
    };
    requestAnimationFrame(frame);
  });
  if (timer) clearInterval(timer);
  observer.disconnect();
  return { stamps, longTasks };
}
"""


def _task(n: int, base: datetime, out: str) -> dict[str, Any]:
    created = (base + timedelta(milliseconds=n)).isoformat().replace("+00:00", "Z")
    return {
        "id": f"bench_{n:06d}", "url": f"http://127.0.0.1:9/bench/lecture-{n:06d}.mp4", "title": f"Lecture {n:06d}",
        "output_path": out, "status": "Pending", "progress": 0.0, "file_size": None, "downloaded_size": 0,
        "speed": 0.0, "eta": None, "error_message": None, "created_at": created, "updated_at": created,
        "downloader_type": "Http", "video_info": _course(n),
    }


def _course(n: int) -> dict[str, Any]:
    """100 lessons per course, as a course sheet gives them: the list shows them grouped, a header per course."""
    course = f"{n // 100:03d}"
    lesson = f"Lesson {n % 100:02d}"
    return {"zl_id": course, "zl_name": f"Course {course}", "id": course, "name": f"Course {course}", "kc_id": str(n),
            "kc_name": lesson, "course_id": str(n), "course_name": lesson, "record_url": None, "url": None}


def _summary(recorded: dict[str, Any]) -> dict[str, Any]:
    stamps = recorded["stamps"]
    gaps = sorted(b - a for a, b in zip(stamps, stamps[1:]))
    if not gaps:
        return {"frames": len(stamps)}
    return {
        "frames": len(stamps),
        "p50_ms": round(statistics.median(gaps), 1),
        "p95_ms": round(gaps[min(len(gaps) - 1, int(len(gaps) * 0.95))], 1),
        "max_ms": round(gaps[-1], 1),
        "long_tasks": len(recorded["longTasks"]),
        "longest_task_ms": round(max(recorded["longTasks"], default=0.0), 1),
    }


def _record(page: Page, seconds: float, *, scroll_step: int = 0,
            progress_ids: list[str] | None = None) -> dict[str, Any]:
    args = {"seconds": seconds, "scrollStep": scroll_step, "progressIds": progress_ids or [],
            "everyMs": COALESCER_INTERVAL_MS}
    return _summary(page.evaluate(_RECORD_JS, args))


def measure(tasks: int, progress_tasks: int, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="vdp-measure-") as temp, sync_playwright() as playwright:
        root = Path(temp)
        with ServedApp.start(root / "data") as served:
            served.configure(ui={"language": "en", "theme": "light"})
            browser = launch(playwright)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(served.url)
            expect(page.get_by_test_id("status-bar")).to_have_attribute("data-connection", "open")

            base = datetime(2026, 1, 1, tzinfo=timezone.utc)
            all_tasks = [_task(n, base, str(root / "out")) for n in range(tasks)]
            started = time.perf_counter()
            for start in range(0, tasks, CHUNK):
                served.invoke("add_download_tasks", tasks=all_tasks[start : start + CHUNK])
            expect(page.get_by_test_id("filter-count-all")).to_have_text(str(tasks), timeout=120_000)
            added_s = time.perf_counter() - started

            # The busy tasks are the top of the list (the UI keeps the backend's order, grouped by course), so
            # their progress is what gets painted.
            busy = [task["id"] for task in served.invoke("get_download_tasks")[:progress_tasks]]
            page.evaluate(
                "ids => window.__vdp_emit(ids.map((id) => ({ event: 'task_status_changed', payload: "
                "{ task_id: id, from: 'Pending', to: 'Downloading', error: null } })))",
                busy,
            )
            results: dict[str, Any] = {
                "tasks": tasks,
                "add_to_list_s": round(added_s, 2),  # add_download_tasks calls until the page counts them all
                "viewport": f"{VIEWPORT['width']}x{VIEWPORT['height']}",
                "rows_in_dom": page.get_by_test_id("task-row").count(),
                "idle": _record(page, seconds / 2),
                "scrolling": _record(page, seconds, scroll_step=240),
                "progress": {"tasks": progress_tasks, **_record(page, seconds, progress_ids=busy)},
            }
            # The load must have reached the rows on screen, or the numbers above measure nothing.
            expect(page.get_by_test_id("task-row").first).to_have_attribute("data-status", "Downloading")
            expect(page.get_by_test_id("task-row").first).not_to_have_attribute("data-progress", "0")
            results["scrolling_with_progress"] = _record(page, seconds, scroll_step=240, progress_ids=busy)
            browser.close()
            return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.measure_ui", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--progress-tasks", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each measured scenario")
    args = parser.parse_args()
    if not 0 < args.progress_tasks <= args.tasks:
        parser.error("--progress-tasks must be between 1 and --tasks")
    print(json.dumps(measure(args.tasks, args.progress_tasks, args.seconds), indent=2))


if __name__ == "__main__":
    main()
