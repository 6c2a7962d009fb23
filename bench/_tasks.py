"""Throttled work for load benchmarks: many distinct URLs backed by hard links to one payload file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.support.payload import write_payload
from vdp.bridge.handlers.downloads import new_task
from vdp.contract import DownloaderType


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
    return [new_task(base_url + name, str(output), title=name, kind=DownloaderType.HTTP, reason="benchmark")
            .model_dump(mode="json") for name in names]
