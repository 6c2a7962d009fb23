"""One name per engine: the contract's DownloaderType maps once (engines/names.py) to the engine that runs it, whose
name is its folder's."""

from __future__ import annotations

import pytest

from vdp.contract import DownloaderType, VideoTask
from vdp.engines import names
from vdp.engines.registry import EngineRegistry


@pytest.mark.parametrize("kind", [*DownloaderType, None])
def test_every_downloader_type_runs_on_the_engine_of_its_name(kind: DownloaderType | None) -> None:
    task = VideoTask(id="t", url="https://example.com/v", title="v", output_path="/tmp", downloader_type=kind)
    engine = EngineRegistry().for_task(task)
    assert engine.name == names.engine_name(kind)
    assert type(engine).__module__.startswith(f"vdp.engines.{engine.name}.")  # the engine's folder bears its name


def test_the_wire_spelling_stays_the_contracts() -> None:
    assert {kind.value: name for kind, name in names.ENGINE_OF.items()} == {
        "Http": "http", "M3u8": "hls", "Youtube": "ytdlp"}
