"""A fresh download's first checkpoint (the partial file's name, no bytes) is saved beside the transfer: the
completion seals the file (fsync) while it is saved, and renames it only after it and the checkpoint that holds the
sealed file's fingerprint, so the database holds both before the final name exists."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload
from vdp.engines.base import ResumeState
from vdp.engines.http import engine as engine_module
from vdp.engines.http.engine import HttpEngine
from vdp.engines.services import TransferServices

from .contexts import http_context


async def test_the_file_is_sealed_while_its_first_checkpoint_is_saved_and_renamed_after_it(
        tmp_path: Path, server: FaultServer, transfer_services: TransferServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_payload(engine_module.SMALL_FILE + (256 << 10), seed=3)  # a smaller one is never checkpointed
    server.add_file("/f.bin", data)
    loop = asyncio.get_running_loop()
    sealed = asyncio.Event()  # every byte is fsynced and the seal's fingerprint taken
    fingerprint = engine_module._fingerprint

    def taken(path: Path) -> list[int]:
        found = fingerprint(path)
        loop.call_soon_threadsafe(sealed.set)
        return found

    monkeypatch.setattr(engine_module, "_fingerprint", taken)
    saved = asyncio.Event()  # the test lets the first checkpoint be saved
    checkpoints: list[ResumeState] = []

    async def checkpoint(state: ResumeState) -> None:
        checkpoints.append(state)
        if len(checkpoints) == 1:
            await saved.wait()

    ctx = http_context(tmp_path, server.url("/f.bin"), transfer_services, checkpoint=checkpoint)
    transfer = asyncio.ensure_future(HttpEngine().transfer(ctx))
    try:
        await asyncio.wait_for(sealed.wait(), 30)  # sealed while the first checkpoint is still being saved
        assert [c.meta["part_name"] for c in checkpoints] == ["f.bin.part"]
        assert all(chunk.done == 0 for chunk in checkpoints[0].chunks)  # it claims no bytes
        assert not (tmp_path / "f.bin").exists(), "renamed before its first checkpoint was saved"
        assert not transfer.done()
        saved.set()
        result = await transfer
        assert result.file_path == tmp_path / "f.bin" and result.size == len(data)
        assert (tmp_path / "f.bin").read_bytes() == data
        # The last checkpoint, saved before the rename, holds the sealed file's fingerprint (test_renamed_before.py).
        assert engine_module.FINISHED_FILE in checkpoints[-1].meta and checkpoints[-1].durable_bytes == len(data)
    finally:
        saved.set()
        await asyncio.gather(transfer, return_exceptions=True)
