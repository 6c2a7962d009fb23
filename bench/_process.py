"""Run a client under test as its own process and measure it: wall time, CPU seconds and peak RSS.

`os.wait4` reports the rusage of the child and of every descendant it reaped, so the figures cover a whole
client process tree (yt-dlp's ffmpeg, vdp's workers) without sampling.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Sequence


@dataclass(frozen=True)
class Measurement:
    wall: float
    cpu: float  # user + sys seconds of the process tree
    peak_rss_mib: float
    returncode: int
    stderr_tail: str


def measure(argv: Sequence[str], *, env: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None,
            timeout: float = 900.0) -> Measurement:
    with open(os.devnull, "wb") as devnull, _tempfile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(argv), stdin=subprocess.DEVNULL, stdout=devnull, stderr=err,
                                   env=dict(env) if env is not None else None, cwd=cwd)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
    return Measurement(wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_rss_mib=usage.ru_maxrss / 1024,
                       returncode=process.returncode, stderr_tail=tail)


def _tempfile():  # type: ignore[no-untyped-def]
    import tempfile

    return tempfile.TemporaryFile()
