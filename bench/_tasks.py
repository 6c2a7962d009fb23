"""Throttled work for load benchmarks: many distinct URLs backed by hard links to one payload file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.support.payload import write_payload
from vdp.contract import DownloaderType
from vdp.engines.routing import RouteDecision
from vdp.intake import task_for_link


def hard_linked_files(root: Path, count: int, size: int) -> list[str]:
    """`count` served paths (f00000.bin…) that are hard links to one `size`-byte file: no disk cost per file."""
    root.mkdir(parents=True, exist_ok=True)
    source = root / f"source-{size}.bin"
    if not source.exists():
        write_payload(source, size, seed=7)
    names = []
    for index in range(count):
        name = f"f{index:05d}.bin"
        target = root / name
        if not target.exists():
            os.link(source, target)
        names.append(name)
    return names


def task_rows(base_url: str, names: list[str], output: Path) -> list[dict[str, Any]]:
    """Wire-form tasks for `add_download_tasks` (the import path: routed already, no probing)."""
    decision = RouteDecision(DownloaderType.HTTP, "benchmark")
    return [task_for_link(base_url + name, str(output), decision).model_copy(update={"title": name})
            .model_dump(mode="json") for name in names]
