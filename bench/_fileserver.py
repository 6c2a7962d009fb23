"""The loopback file server for benchmarks, in its own process so it never shares a core's time with the client."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

REPO = Path(__file__).resolve().parents[1]


@contextmanager
def file_server(root: Path, *, rate: Optional[int] = None) -> Iterator[str]:
    """Serve `root` on 127.0.0.1; yields the base URL (ending in '/')."""
    argv = [sys.executable, "-m", "tests.support.fault_server", "--root", str(root)]
    if rate:
        argv += ["--rate", str(rate)]
    process = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if " at " not in line:
            raise RuntimeError(f"file server did not start: {line!r}")
        yield line.rsplit(" at ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(10)
