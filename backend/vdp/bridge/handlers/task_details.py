"""`get_task_details` (v2): everything the details pane shows of one task (runtime/details.py)."""

from __future__ import annotations

from ...contract.workspace import TaskDetails, TaskDetailsArgs
from ...runtime import commands
from ...runtime.details import task_details
from ...runtime.journal import TaskSnapshot
from ..context import AppContext
from ..registry import command


@command("get_task_details", TaskDetailsArgs, prefix="Failed to get task details")
async def get_task_details(app: AppContext, args: TaskDetailsArgs) -> TaskDetails:
    snapshot: TaskSnapshot = await app.runtime.submit(commands.DescribeTask(args.task_id))
    # The running engine's map as written; else the saved resume map.
    state = snapshot.live or await app.repo.load_resume(args.task_id)
    history = await app.repo.task_history(args.task_id)
    return task_details(snapshot, state, live=snapshot.live is not None, history=history)
