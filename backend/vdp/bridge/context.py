"""`AppContext`: what a command handler may use of the running application.

Every handler is `async def handler(app: AppContext, args: <ArgsModel>)`. `vdp.app.Application` satisfies this
once started; a handler never sees an application whose runtime, repository or services are missing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Coroutine, Optional, Protocol

if TYPE_CHECKING:
    from ..app import Dialogs
    from ..contract import AppConfig
    from ..engines.routing import ProbePool
    from ..engines.services import TransferServices
    from ..paths import AppPaths
    from ..runtime.api import RuntimeApi
    from ..runtime.bus import EventBus
    from ..settings import ConfigStore
    from ..storage.repository import TaskRepository


class AppContext(Protocol):
    dialogs: Optional[Dialogs]  # only the desktop shell has native dialogs

    @property
    def paths(self) -> AppPaths: ...

    @property
    def settings(self) -> ConfigStore: ...

    @property
    def config(self) -> AppConfig: ...

    @property
    def bus(self) -> EventBus: ...

    @property
    def runtime(self) -> RuntimeApi: ...

    @property
    def runtime_name(self) -> str: ...

    @property
    def repo(self) -> TaskRepository: ...

    @property
    def services(self) -> TransferServices: ...

    @property
    def probes(self) -> ProbePool: ...

    def spawn(self, work: Coroutine[Any, Any, None], name: str) -> None: ...
