"""Long answers (thousands of tasks) are converted and encoded a slice at a time (the event loop runs between
slices); what arrives is exactly what a one-shot conversion gives."""

from __future__ import annotations

import json

import aiohttp

from tests.bridge.conftest import TOKEN
from tests.support.appkit import AppKit
from vdp.bridge.invoke import WIRE_SLICE, to_wire
from vdp.bridge.server import ServerMode


async def test_a_long_task_list_arrives_whole_and_in_order(kit: AppKit, served: ServerMode, tmp_path) -> None:
    count = WIRE_SLICE * 2 + 7
    tasks = [{"id": f"t{n}", "url": f"http://127.0.0.1:9/{n}.mp4", "title": f"视频 {n}", "output_path": str(tmp_path)}
             for n in range(count)]
    added = await kit.call("add_download_tasks", tasks=tasks)
    assert [t["id"] for t in added] == [f"t{n}" for n in range(count)]
    assert added == to_wire(kit.app.runtime.tasks())
    async with aiohttp.ClientSession(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        async with http.post(f"http://127.0.0.1:{served.port}/api/invoke/get_download_tasks") as response:
            assert response.status == 200 and response.content_type == "application/json"
            assert json.loads(await response.text()) == added


async def test_a_long_import_answer_keeps_its_fields(kit: AppKit, tmp_path) -> None:
    count = WIRE_SLICE * 2 + 7
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("url\n" + "".join(f"http://127.0.0.1:9/{n}.mp4\n" for n in range(count)))
    answer = await kit.call("import_and_reconcile", filePath=str(sheet), outputDir=str(tmp_path / "out"))
    assert set(answer) == {"tasks", "reconciliation", "statistics"}
    assert len(answer["tasks"]) == count and answer["reconciliation"]["new"] == count
    assert answer["tasks"] == to_wire(kit.app.runtime.tasks())
