"""A restart from zero takes back the claim on the kept bytes before it empties the partial file.

The database must never claim bytes the file does not hold: killed between emptying the file and saving the empty
map, the next run would trust the old map, ask for the rest, and complete a file whose beginning is zeros (a
server without validators cannot tell it that anything changed). Here the checkpoint that takes the claim back
fails, as it would if the process died before it landed; the claimed bytes must still be in the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.engines.base import PARTIAL_PATHS, Chunk, ResumeState
from vdp.engines.http.engine import HttpEngine
from vdp.engines.services import TransferServices

from .contexts import http_context

MIB = 1 << 20


class _Killed(Exception):
    """The process died while this checkpoint was being saved."""


async def test_a_restart_from_zero_never_empties_the_file_while_the_database_still_claims_its_bytes(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices) -> None:
    data = make_payload(8 * MIB, seed=11)
    kept = 3 * MIB
    server.add_file("/f.bin", data, ranges="wrong")  # the resume request is answered at another offset: restart
    part = tmp_path / "f.bin.part"
    part.write_bytes(data[:kept])
    resume = ResumeState({"file_name": "f.bin", "part_name": part.name, "total": len(data), "ranges": True,
                          PARTIAL_PATHS: [part.name]},
                         [Chunk(0, 0, kept - 1, kept), Chunk(1, kept, len(data) - 1, 0)])

    async def checkpoint(state: ResumeState) -> None:
        if not state.chunks:
            raise _Killed()

    ctx = http_context(tmp_path, server.url("/f.bin"), transfer_services, checkpoint=checkpoint, resume=resume)
    with pytest.raises(_Killed):
        await HttpEngine().transfer(ctx)

    assert part.read_bytes()[:kept] == data[:kept], "the bytes the database still claims are on disk"
