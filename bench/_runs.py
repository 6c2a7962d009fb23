"""Repeated, verified runs of one client: fresh output folder and data dir each time, checked, then deleted."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Mapping, Optional

from tests.support.payload import sha256_of

from ._process import Measurement, measure

ArgvFor = Callable[[Path, Path], list[str]]  # (output folder, data dir) -> argv


def verified_runs(argv_for: ArgvFor, verify: Callable[[Path], None], work: Path, repeat: int,
                  env: Optional[Mapping[str, str]] = None) -> list[Measurement]:
    runs = []
    for _ in range(repeat):
        run_dir = Path(tempfile.mkdtemp(dir=work))
        out, data = run_dir / "out", run_dir / "data"
        out.mkdir()
        argv = argv_for(out, data)
        os.sync()  # every run starts with no dirty pages from the one before (the disk is slower than loopback)
        result = measure(argv, env=env)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:4])}… exited {result.returncode}: {result.stderr_tail}")
        verify(out)
        shutil.rmtree(run_dir)
        runs.append(result)
    return runs


def expect_files(expected: Mapping[Path, str]) -> Callable[[Path], None]:
    """A verifier: exactly these files (relative paths) with these SHA-256 digests."""

    def verify(out: Path) -> None:
        for relative, digest in expected.items():
            if sha256_of(out / relative) != digest:
                raise RuntimeError(f"{out / relative}: SHA-256 differs from the source")
        found = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
        if len(found) != len(expected):
            raise RuntimeError(f"{out}: {len(found)} files ({found[:5]}…), expected {len(expected)}")

    return verify


def expect_one_file(digest: str) -> Callable[[Path], None]:
    """A verifier: one file, whatever its name, with this SHA-256 digest."""

    def verify(out: Path) -> None:
        found = [p for p in out.rglob("*") if p.is_file()]
        if len(found) != 1:
            raise RuntimeError(f"{out}: expected one file, found {[p.name for p in found]}")
        if sha256_of(found[0]) != digest:
            raise RuntimeError(f"{found[0]}: SHA-256 differs from the decrypted source stream")

    return verify
