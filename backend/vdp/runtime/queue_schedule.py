"""The scheduler of the queue: start it at one local time of day, pause it at another (`ui.schedule_start_time`,
`ui.schedule_pause_time`, "HH:MM").

One loop timer (`call_at`) for the next change, nothing polls. The timer is re-aligned with the wall clock at least
every RESYNC seconds: the loop's clock is monotonic and stops during a suspend, and the wall clock may be changed
or move for daylight saving time, so a long single wait could fire late. The runtime owns the schedule and cancels
it at shutdown; `now` is injectable for tests."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, time, timedelta
from typing import Callable, Optional

RESYNC = 600.0
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def local_now() -> datetime:
    return datetime.now().astimezone()


def parse_hhmm(text: Optional[str]) -> Optional[time]:
    """`"HH:MM"` (24 h) as a time of day; None for None or "" (that change is off). ValueError otherwise."""
    if not text:
        return None
    match = _HHMM.match(text)
    if match is None:
        raise ValueError(f"not a time of day HH:MM: {text!r}")
    return time(int(match.group(1)), int(match.group(2)))


def next_change(now: datetime, start: Optional[time], pause: Optional[time]) -> Optional[tuple[datetime, bool]]:
    """The first change strictly after `now` (an aware datetime): (when, True to start / False to pause)."""
    candidates = []
    for at, running in ((start, True), (pause, False)):
        if at is None:
            continue
        when = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
        if when <= now:
            when += timedelta(days=1)
        candidates.append((when, running))
    return min(candidates, key=lambda c: c[0]) if candidates else None


class QueueSchedule:
    def __init__(self, act: Callable[[bool], None], *, now: Callable[[], datetime] = local_now) -> None:
        self._act = act  # called on the loop with True (start the queue) or False (pause it)
        self._now = now
        self._start: Optional[time] = None
        self._pause: Optional[time] = None
        self._timer: Optional[asyncio.TimerHandle] = None
        self.start_text: Optional[str] = None
        self.pause_text: Optional[str] = None
        self.next_at: Optional[datetime] = None
        self.next_running: Optional[bool] = None

    def configure(self, start: Optional[str], pause: Optional[str]) -> None:
        """Set both times (None or "" turns one off) and arm the timer; call on the loop."""
        self._start, self._pause = parse_hhmm(start), parse_hhmm(pause)
        self.start_text, self.pause_text = start or None, pause or None
        self._arm()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _arm(self) -> None:
        self.cancel()
        now = self._now()
        upcoming = next_change(now, self._start, self._pause)
        self.next_at, self.next_running = upcoming if upcoming else (None, None)
        if self.next_at is None:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, (self.next_at - now).total_seconds())
        self._timer = loop.call_at(loop.time() + min(delay, RESYNC), self._due)

    def _due(self) -> None:
        self._timer = None
        due, running = self.next_at, self.next_running
        if due is not None and running is not None and self._now() >= due:
            self._act(running)
        self._arm()  # the next change, or the same one again after a re-alignment
