"""The application: config, storage, engines and the chosen runtime, started and stopped as one."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Coroutine, Optional, Protocol, TypeVar

from .blocking_pool import use_blocking_pool
from .contract import AppConfig, RuntimeWarningEvent
from .engines.registry import EngineRegistry
from .engines.routing import ProbePool, ProbeResult, http_probe
from .engines.services import TransferServices
from .import_pool import cancel_running as cancel_imports
from .paths import AppPaths
from .runtime.api import RuntimeApi
from .runtime.bus import EventBus
from .runtime.runtime import Runtime
from .settings import ConfigStore
from .storage.backups import BackupSchedule
from .storage.faults import require_writable_data_dir
from .storage.instance_lock import InstanceLock
from .storage.repository import TaskRepository

log = logging.getLogger(__name__)


class Dialogs(Protocol):
    """Native dialogs; only the desktop shell has them."""

    def choose_folder(self, start: Optional[str]) -> Optional[str]: ...

    def choose_file(self, patterns: list[str]) -> Optional[str]: ...


def choose_runtime(cli_choice: Optional[str], config_v2: bool) -> str:
    """`--runtime` beats `VDP_RUNTIME`, which beats `advanced.download_runtime_v2` (docs/contract.md, "Commands")."""
    choice = cli_choice or os.environ.get("VDP_RUNTIME")
    if choice in ("v1", "v2"):
        return choice
    return "v2" if config_v2 else "v1"


class Application:
    def __init__(self, paths: AppPaths, *, runtime: Optional[str] = None, verify_tls: bool = True) -> None:
        self.paths = paths
        self._verify_tls = verify_tls
        require_writable_data_dir(paths.root)  # a clear refusal, not a traceback from the first file written
        self.settings = ConfigStore(paths.config)
        self.bus = EventBus()
        self.dialogs: Optional[Dialogs] = None
        self._runtime: Optional[RuntimeApi] = None
        self._repo: Optional[TaskRepository] = None
        self._services: Optional[TransferServices] = None
        self.runtime_name = choose_runtime(runtime, self.settings.config.advanced.download_runtime_v2)
        # Pasted links are probed a few at a time, never all at once, through the app's client (proxy, headers).
        self.probes = ProbePool(max_concurrency=4, probe=self._probe)
        self._background: set[asyncio.Task[None]] = set()
        self.backups: Optional[BackupSchedule] = None  # the task list's start-up and daily backups, once started
        self._instance: Optional[InstanceLock] = None  # this app's hold on the data folder, from start to stop

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Run `work` in the background (held here, so it is not collected, and cancelled at stop)."""
        task = asyncio.create_task(work, name=name)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _probe(self, url: str) -> ProbeResult:
        return await http_probe(url, self._services.http_client if self._services else None)

    @property
    def config(self) -> AppConfig:
        return self.settings.config

    # What `start` builds; a command handler (bridge.context.AppContext) only ever runs on a started application.
    @property
    def runtime(self) -> RuntimeApi:
        return _started(self._runtime)

    @property
    def repo(self) -> TaskRepository:
        return _started(self._repo)

    @property
    def services(self) -> TransferServices:
        return _started(self._services)

    @property
    def instance(self) -> InstanceLock:
        """This app's hold on its data folder."""
        return _started(self._instance)

    async def start(self) -> None:
        use_blocking_pool(asyncio.get_running_loop())  # before anything runs on a thread (vdp/blocking_pool.py)
        instance = self._instance = InstanceLock.acquire(self.paths.root)  # or a refusal: another app runs here
        try:
            await self._start_on_the_folder()
        except BaseException:
            # The start is refused (a locked or unreadable task list, a runtime that cannot start): what opened is
            # closed, and the folder is free for the next start.
            try:
                if self._services is not None:
                    await self._services.aclose()
                if self._repo is not None:
                    await self._repo.close()
            finally:
                instance.release()
            raise

    async def _start_on_the_folder(self) -> None:
        repo = self._repo = await TaskRepository.open(self.paths.database)
        services = self._services = TransferServices(self.config, verify_tls=self._verify_tls)
        engines = EngineRegistry()
        runtime: RuntimeApi
        if self.runtime_name == "v1":
            from .legacy.runtime import LegacyRuntime

            runtime = LegacyRuntime(repo, self.config, engines, services, bus=self.bus)
        else:
            runtime = Runtime(repo, self.config, engines, services, bus=self.bus)
        self._runtime = runtime
        await runtime.start()
        log.info("started runtime %s with data in %s", self.runtime_name, self.paths.root)
        self._look_after_storage(repo)

    def _look_after_storage(self, repo: TaskRepository) -> None:
        """Tell the user of storage trouble (runtime_warning), watch the file, back it up at start and daily."""
        repo.monitor.subscribe(lambda code, status: self.bus.publish(
            "runtime_warning", RuntimeWarningEvent(code=code, message=status.message or code.value)))
        self.spawn(repo.monitor.watch(), "storage-watch")
        self.backups = BackupSchedule(repo.path, repo.monitor.note_backup)
        self.spawn(self.backups.run(), "storage-backups")

    async def stop(self) -> None:
        cancel_imports()  # a reading import stops at its next read instead of keeping the process alive
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        try:
            if self._runtime is not None:
                await self._runtime.stop()
            if self._services is not None:
                await self._services.aclose()
            if self._repo is not None:
                await self._repo.close()
        finally:
            if self._instance is not None:
                self._instance.release()


T = TypeVar("T")


def _started(part: Optional[T]) -> T:
    if part is None:
        raise RuntimeError("the application has not started")
    return part
