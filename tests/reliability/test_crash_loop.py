"""The crash loop, fast variant: a few SIGKILLs at seeded random moments per engine and during a 1,000-row
import; `python -m bench.soak` runs the same loop with many kills. See crash_loop.py for what is checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from .crash_loop import SCENARIOS, run_crash_loop


@pytest.mark.timeout(120)
@pytest.mark.parametrize("name", ["http-8", "hls", "ytdlp", "import"])
def test_sigkill_loop_loses_and_corrupts_nothing(tmp_path: Path, name: str) -> None:
    report = run_crash_loop(SCENARIOS[name](), tmp_path, kills=2, seed=20261201)
    print(report.line())  # the re-downloaded bytes, shown with -s
    assert report.ok, "\n".join(report.problems)
    assert report.kills == 2
    assert report.re_downloaded >= 0
