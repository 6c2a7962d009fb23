"""A private X server per test: Xvfb picks a free display number and reports it through `-displayfd`."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

SCREEN = "1280x1024x24"


def available() -> bool:
    return shutil.which("Xvfb") is not None


@contextmanager
def xvfb_display() -> Iterator[str]:
    """Yields a DISPLAY value such as ":3"; the server is ready for connections when this returns."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as report:
            number = report.readline().strip()  # written once Xvfb accepts connections; EOF if it died
        if not number.isdigit():
            _, errors = server.communicate(timeout=10)
            raise RuntimeError(f"Xvfb did not start: {errors.decode(errors='replace')[-2000:]}")
        yield f":{number}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr:
            server.stderr.close()
