"""The application: config, storage, engines and the chosen runtime, started and stopped as one."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Coroutine, Optional, Protocol

from .engines.registry import EngineRegistry
from .engines.routing import ProbePool, ProbeResult, http_probe
from .engines.services import TransferServices
from .paths import AppPaths
from .runtime.bus import EventBus
from .runtime.runtime import Runtime
from .settings import ConfigStore
from .storage.repository import TaskRepository

log = logging.getLogger(__name__)


class Dialogs(Protocol):
    """Native dialogs; only the desktop shell has them."""

    def choose_folder(self, start: Optional[str]) -> Optional[str]: ...

    def choose_file(self, patterns: list[str]) -> Optional[str]: ...


def choose_runtime(cli_choice: Optional[str], config_v2: bool) -> str:
    """`--runtime` beats `VDP_RUNTIME`, which beats `advanced.download_runtime_v2` (contract-decisions.md §6)."""
    choice = cli_choice or os.environ.get("VDP_RUNTIME")
    if choice in ("v1", "v2"):
        return choice
    return "v2" if config_v2 else "v1"


class Application:
    def __init__(self, paths: AppPaths, *, runtime: Optional[str] = None, verify_tls: bool = True) -> None:
        self.paths = paths
        self._verify_tls = verify_tls
        self.settings = ConfigStore(paths.config)
        self.bus = EventBus()
        self.dialogs: Optional[Dialogs] = None
        self.runtime: Any = None
        self.repo: Optional[TaskRepository] = None
        self.services: Optional[TransferServices] = None
        self.runtime_name = choose_runtime(runtime, self.settings.config.advanced.download_runtime_v2)
        # Pasted links are probed a few at a time, never all at once, through the app's client (proxy, headers).
        self.probes = ProbePool(max_concurrency=4, probe=self._probe)
        self._background: set[asyncio.Task[None]] = set()

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None:
        """Run `work` in the background (held here, so it is not collected, and cancelled at stop)."""
        task = asyncio.create_task(work, name=name)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _probe(self, url: str) -> ProbeResult:
        return await http_probe(url, self.services.http_client if self.services else None)

    @property
    def config(self):  # type: ignore[no-untyped-def]
        return self.settings.config

    async def start(self) -> None:
        self.repo = await TaskRepository.open(self.paths.database)
        self.services = TransferServices(self.config, verify_tls=self._verify_tls)
        engines = EngineRegistry()
        if self.runtime_name == "v1":
            from .legacy.runtime import LegacyRuntime

            self.runtime = LegacyRuntime(self.repo, self.config, engines, self.services, bus=self.bus)
        else:
            self.runtime = Runtime(self.repo, self.config, engines, self.services, bus=self.bus)
        await self.runtime.start()
        log.info("started runtime %s with data in %s", self.runtime_name, self.paths.root)

    async def stop(self) -> None:
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        if self.runtime is not None:
            await self.runtime.stop()
        if self.services is not None:
            await self.services.aclose()
        if self.repo is not None:
            await self.repo.close()
