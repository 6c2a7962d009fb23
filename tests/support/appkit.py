"""Running the real application in a test: a temp data dir, commands through `invoke`, waits on bus events."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Iterable, Optional

from vdp.app import Application
from vdp.bridge.invoke import invoke
from vdp.contract import TaskStatus, VideoTask
from vdp.paths import AppPaths
from vdp.runtime.bus import Event, Subscription

TERMINAL = {TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED}


class AppKit:
    def __init__(self, app: Application, out: Path) -> None:
        self.app = app
        self.out = out
        self.events: Subscription = app.bus.subscribe("test")
        self.seen: list[Event] = []

    async def call(self, command: str, **args: Any) -> Any:
        return await invoke(self.app, command, args)

    async def configure(self, **download: Any) -> None:
        config = self.app.config.model_copy(deep=True)
        for key, value in download.items():
            setattr(config.download, key, value)
        await self.call("update_config", newConfig=config.model_dump(mode="json"))

    async def add(self, url: str, *, title: Optional[str] = None, output: Optional[Path] = None) -> str:
        added = await self.call("add_urls", urls=[url], outputPath=str(output or self.out))
        assert len(added) == 1, added
        return added[0]["id"]

    def task(self, task_id: str) -> VideoTask:
        task = self.app.runtime.task(task_id)
        assert task is not None
        return task

    async def next_event(self, timeout: float = 30.0) -> Event:
        event = await asyncio.wait_for(self.events.next(), timeout)
        self.seen.append(event)
        return event

    async def wait_for(self, predicate, timeout: float = 30.0) -> Event:  # type: ignore[no-untyped-def]
        """Consume events until one satisfies `predicate`."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise TimeoutError("no matching event")
            event = await self.next_event(remaining)
            if predicate(event):
                return event

    async def wait_status(self, task_id: str, statuses: Iterable[TaskStatus], timeout: float = 30.0) -> TaskStatus:
        wanted = set(statuses)
        if self.task(task_id).status in wanted:
            return self.task(task_id).status
        event = await self.wait_for(lambda e: e.name == "task_status_changed" and e.payload.task_id == task_id
                                    and e.payload.to in wanted, timeout)
        return event.payload.to

    async def finish(self, task_id: str, timeout: float = 60.0) -> VideoTask:
        await self.wait_status(task_id, TERMINAL, timeout)
        return self.task(task_id)

    async def download(self, url: str, timeout: float = 60.0) -> VideoTask:
        task_id = await self.add(url)
        await self.call("start_download", taskId=task_id)
        return await self.finish(task_id, timeout)

    def statuses(self, task_id: str) -> list[tuple[Optional[str], str]]:
        return [(e.payload.from_.value if e.payload.from_ else None, e.payload.to.value) for e in self.seen
                if e.name == "task_status_changed" and e.payload.task_id == task_id]

    def warnings(self, task_id: Optional[str] = None) -> list[Any]:
        return [e.payload for e in self.seen if e.name == "runtime_warning"
                and (task_id is None or e.payload.task_id == task_id)]


@asynccontextmanager
async def running_app(data_dir: Path, *, runtime: Optional[str] = None, **download: Any) -> AsyncIterator[AppKit]:
    app = Application(AppPaths.resolve(str(data_dir)), runtime=runtime)
    await app.start()
    kit = AppKit(app, data_dir.parent / "out")
    try:
        if download:
            await kit.configure(**download)
        yield kit
    finally:
        await app.stop()
