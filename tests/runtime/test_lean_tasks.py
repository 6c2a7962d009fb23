"""The task list is held lean (vdp/lean_models.py): each task shares its field-name set and its dict's keys with the
others, so 200,000 tasks fit in far less memory, and yet every reader sees the same task as before."""

from __future__ import annotations

import gc
import json
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from tests.support.appkit import running_app
from vdp.contract import TaskStatus, VideoInfo, VideoTask
from vdp.lean_models import lean, wire_dict
from vdp.runtime import commands
from vdp.runtime.runtime import Runtime

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def _task(n: int) -> VideoTask:
    url = f"http://127.0.0.1:9/c{n // 50}/v{n}.mp4"
    return VideoTask(id=f"task_{n:032x}", url=url, title=f"第 {n} 课 视频", output_path="/tmp/videos", created_at=AT,
                     updated_at=AT,
                     video_info=VideoInfo(zl_id=str(n // 50), zl_name=f"专栏 {n // 50}", kc_id=str(n),
                                          kc_name=f"第 {n} 课 视频", record_url=url, url=url))


def test_a_lean_task_reads_changes_copies_and_serialises_as_before() -> None:
    plain, slim = _task(1), lean(_task(1))
    assert slim.model_dump_json() == plain.model_dump_json()
    assert slim.model_dump() == plain.model_dump()

    slim.status, slim.priority, slim.engine_options = TaskStatus.PAUSED, 3, {"file_stem": "01 课"}
    snapshot = slim.model_copy()
    snapshot.priority, snapshot.title = 9, "changed in the copy only"
    assert (slim.status, slim.priority, slim.title) == (TaskStatus.PAUSED, 3, "第 1 课 视频")
    assert VideoTask.model_validate_json(slim.model_dump_json()).model_dump() == slim.model_dump()

    # The wire form of a long answer: the same dict (and the same JSON text) as model_dump gives.
    assert wire_dict(slim) == slim.model_dump(mode="json")
    assert json.dumps(wire_dict(slim)) == json.dumps(slim.model_dump(mode="json"))


def _held(make: Callable[[int], object], count: int = 500) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [make(n) for n in range(count)]
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(kept) == count
    return held


def test_lean_tasks_take_well_under_two_thirds_of_the_memory() -> None:
    plain = _held(_task)
    slim = _held(lambda n: lean(_task(n)))
    assert slim < 0.6 * plain, (slim, plain)


async def test_the_runtime_keeps_the_tasks_it_is_given_lean(tmp_path: Path) -> None:
    async with running_app(tmp_path / "data") as kit:
        runtime = kit.app.runtime
        assert isinstance(runtime, Runtime)
        added = await runtime.submit(commands.AddTasks([_task(n) for n in range(3)], cause="test"))
        held = [runtime.task(task.id) for task in added]
        assert all(task is not None for task in held)
        # One field-name set for all of them, instead of one each (lean_models.py).
        assert len({id(task.__pydantic_fields_set__) for task in held if task is not None}) == 1
