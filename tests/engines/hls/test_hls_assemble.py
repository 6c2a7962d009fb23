"""The assembler on its own: what it records always describes the track file exactly, even after a failure."""

from __future__ import annotations

import pytest

from vdp.engines.hls._assemble import Assembler
from vdp.engines.hls._plan import Track
from vdp.engines.hls._workdir import WorkDir


def test_a_part_that_fails_mid_run_leaves_the_record_matching_the_file(tmp_path):
    work = WorkDir(tmp_path / "work")
    work.create()
    bodies = [b"A" * 10, b"B" * 20, b"C" * 30]
    for index, body in enumerate(bodies[:2]):
        work.part(index).write_bytes(body)
    track = Track("video", "http://x/index.m3u8", (0, 1, 2), 3, ".ts")
    assembler = Assembler(work, [track], {})
    sizes = {index: len(body) for index, body in enumerate(bodies)}

    with pytest.raises(FileNotFoundError):  # part 2 is not on disk (yet)
        assembler.append(sizes)
    assert assembler.recorded() == {"video": [2, 30]}
    assert assembler.consumed() == {0, 1}

    work.part(2).write_bytes(bodies[2])
    assembler.append(sizes)
    assert assembler.complete() and assembler.recorded() == {"video": [3, 60]}
    assert assembler.track_file(track).read_bytes() == b"".join(bodies)  # nothing appended twice
