"""Helpers for the storage tests: real tmpfs mounts (root only; skipped with the reason otherwise), and a look at the
files of a database that must stay untouched."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path
from typing import Callable, Iterator

import pytest

MountFactory = Callable[[str, str], Path]


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[MountFactory]:
    """`tmpfs(name, options)` mounts a fresh tmpfs at tmp_path/name; all are unmounted at the end."""
    mounted: list[Path] = []

    def mount(name: str, options: str) -> Path:
        where = tmp_path / name
        where.mkdir(exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip() or done.returncode}); needs root")
        mounted.append(where)
        return where

    yield mount
    for where in reversed(mounted):
        subprocess.run(["umount", "-l", str(where)], check=False)


def remount(where: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(where)], check=True, capture_output=True)


def fingerprints(database: Path) -> dict[str, str]:
    """sha256 of the database file and its WAL, by name (an absent or empty WAL holds nothing and is left out; the
    -shm is an index SQLite rebuilds)."""
    found = {}
    for suffix in ("", "-wal"):
        part = Path(f"{database}{suffix}")
        if part.exists() and (suffix == "" or part.stat().st_size > 0):
            found[part.name] = hashlib.sha256(part.read_bytes()).hexdigest()
    return found


def corrupt_copies(database: Path) -> list[Path]:
    """The kept copies of a malformed database (without their -wal/-shm companions)."""
    copies = database.parent.glob(f"{database.name}.corrupt-*")
    return sorted(p for p in copies if not p.name.endswith(("-wal", "-shm")))


def fill(folder: Path) -> Path:
    """Write a file until the disk under `folder` is full."""
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(bytes(64 * 1024))
        except OSError:
            pass
    return filler
