"""After a big add the task list is kept out of the garbage collector's generations (gc.freeze): a full collection
walks every tracked object, and with 10,000 tasks each one held the event loop for most of a second. Stopping the
runtime hands them back to the collector."""

from __future__ import annotations

import gc
from pathlib import Path

from tests.support.appkit import running_app
from tests.support.fault_server import FaultServer
from vdp.runtime.runtime import YIELD_EVERY


def _in_a_generation(obj: object) -> bool:
    return any(any(o is obj for o in gc.get_objects(generation)) for generation in (0, 1, 2))


async def test_added_tasks_are_out_of_the_collectors_sight_until_the_runtime_stops(tmp_path: Path,
                                                                                  server: FaultServer) -> None:
    async with running_app(tmp_path / "data") as kit:
        one = kit.task(await kit.add(server.url("/single.bin")))
        rows = [{"id": f"task_big_{n}", "url": server.url(f"/v{n}.bin"), "title": f"v{n}", "output_path": str(kit.out)}
                for n in range(YIELD_EVERY)]
        added = await kit.call("add_download_tasks", tasks=rows)
        task = kit.task(added[-1]["id"])
        assert gc.is_tracked(task) and not _in_a_generation(task)  # a big add: frozen
        assert not _in_a_generation(one)  # ...with what was alive then
    assert _in_a_generation(task)  # stopped: collectable again
