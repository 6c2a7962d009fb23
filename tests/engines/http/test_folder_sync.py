"""The folder fsync that completions share: every caller returns only after an fsync that began after it came."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from vdp.engines import durability


def _callers(folder: Path, count: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def call() -> None:
        try:
            durability.fsync_folder(folder)
        except OSError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return errors


def test_concurrent_callers_share_fsyncs_that_began_after_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fsyncs: list[tuple[float, float]] = []
    real = durability.fsync_files

    def slow_fsync(paths):  # type: ignore[no-untyped-def]
        began = time.monotonic()
        time.sleep(0.02)
        real(paths)
        fsyncs.append((began, time.monotonic()))

    monkeypatch.setattr(durability, "fsync_files", slow_fsync)
    calls: list[tuple[float, float]] = []
    real_folder_sync = durability.fsync_folder

    def timed(folder: Path) -> None:
        came = time.monotonic()
        real_folder_sync(folder)
        calls.append((came, time.monotonic()))

    monkeypatch.setattr(durability, "fsync_folder", timed)
    assert _callers(tmp_path, 40) == []
    assert len(calls) == 40
    assert 1 <= len(fsyncs) < 10, "callers that overlap share one fsync"
    for came, left in calls:
        covered = any(came <= began and ended <= left for began, ended in fsyncs)
        assert covered, "covered by an fsync begun after it came"
    assert durability._folders == {}


def test_a_failed_fsync_covers_nobody(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[int] = []

    def failing_once(paths):  # type: ignore[no-untyped-def]
        attempts.append(1)
        time.sleep(0.02)
        if len(attempts) == 1:
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(durability, "fsync_files", failing_once)
    errors = _callers(tmp_path, 10)
    assert len(errors) == 1, "only the caller whose fsync failed sees the error"
    assert len(attempts) >= 2, "the others ran an fsync of their own"
