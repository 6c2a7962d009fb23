"""The queue (v2): its order (`move_tasks`) and whether it runs (`set_queue_running`, `get_queue_state`).
The v1 runtime has neither and answers so."""

from __future__ import annotations

from ...contract import NoArgs
from ...contract.queue import QueueState
from ...contract.workspace import MoveTasksArgs, QueueRunningArgs
from ...runtime import commands
from ..context import AppContext
from ..registry import command


@command("move_tasks", MoveTasksArgs, prefix="Failed to move tasks")
async def move_tasks(app: AppContext, args: MoveTasksArgs) -> list[str]:
    return await app.runtime.submit(commands.MoveTasks(args.task_ids, args.direction))


@command("set_queue_running", QueueRunningArgs)
async def set_queue_running(app: AppContext, args: QueueRunningArgs) -> QueueState:
    return await app.runtime.submit(commands.SetQueueRunning(args.running))


@command("get_queue_state")
async def get_queue_state(app: AppContext, _: NoArgs) -> QueueState:
    return await app.runtime.submit(commands.GetQueueState())
