"""Command lines of the clients under test, so every benchmark runs them the same way."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Optional, Sequence

VENV_BIN = Path(sys.executable).parent
_ARIA2_QUIET = ["--console-log-level=error", "--summary-interval=0", "--download-result=hide", "--allow-overwrite=true"]


def vdp_get(data_dir: Path, out: Path, urls: Sequence[str], *, jobs: Optional[int] = None,
            connections: Optional[int] = None, runtime: Optional[str] = None) -> list[str]:
    argv = [str(VENV_BIN / "vdp"), "--data-dir", str(data_dir)]
    if runtime:
        argv += ["--runtime", runtime]
    argv += ["get", *urls, "-o", str(out), "--json"]
    if jobs:
        argv += ["-j", str(jobs)]
    if connections:
        argv += ["--connections", str(connections)]
    return argv


def curl_one(url: str, out: Path) -> list[str]:
    return ["curl", "-sS", "-o", str(out), url]


def curl_many(urls: Sequence[str], out: Path, parallel: int) -> list[str]:
    return ["curl", "-sS", "--parallel", "--parallel-max", str(parallel), "--remote-name-all", "--output-dir",
            str(out), *urls]


def aria2c_one(url: str, out: Path, *, connections: int) -> list[str]:
    argv = ["aria2c", *_ARIA2_QUIET, "-d", str(out.parent), "-o", out.name, f"-x{connections}", f"-s{connections}"]
    if connections > 1:
        argv.append("-k1M")
    return argv + [url]


def aria2c_many(url_list: Path, out: Path, parallel: int) -> list[str]:
    return ["aria2c", *_ARIA2_QUIET, "-d", str(out), "-i", str(url_list), f"-j{parallel}"]


def then_sync(argv: Sequence[str], files: str) -> list[str]:
    """`argv`, then an fsync of `files` (a shell pattern): the client's time if its files must be on disk when it
    says done, as a file vdp reports completed is."""
    return ["sh", "-c", f"{shlex.join(argv)} && sync -- {files}"]


def httpx_floor(urls: Sequence[str], out: Path, parallel: int, *, layer: str = "client") -> list[str]:
    """`layer`: how deep into the HTTP stack (bench/httpx_floor.py LAYERS); the default is httpx's client."""
    return [sys.executable, "-m", "bench.httpx_floor", "--layer", layer, str(out), str(parallel), *urls]


def import_only(modules: Sequence[str]) -> list[str]:
    """A Python process that only imports `modules`: the start-up no program built on them can avoid."""
    return [sys.executable, "-c", f"import {', '.join(modules)}"]


def ytdlp_hls(url: str, out: Path, *, fragments: int) -> list[str]:
    # --fixup never: keep the decrypted stream as received, as vdp does without ffmpeg, so both are hashable.
    return [str(VENV_BIN / "yt-dlp"), "-q", "--no-progress", "--no-part", "--fixup", "never", "--hls-prefer-native",
            "-N", str(fragments), "-o", str(out / "%(id)s.%(ext)s"), url]
