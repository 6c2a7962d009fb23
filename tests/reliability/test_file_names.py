"""File names that cannot deceive (docs/security.md): invisible format characters are removed, so the name shown
is the name the system acts on, and Content-Disposition's `filename*` wins over `filename` (RFC 6266)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from vdp.engines.naming import filename_from_content_disposition, sanitize_filename


@pytest.mark.parametrize("raw, safe", [
    ("invoice\u202egpj.exe", "invoicegpj.exe"),          # RIGHT-TO-LEFT OVERRIDE: shown as "invoiceexe.jpg"
    ("report\u2067fdp.\u2069exe", "reportfdp.exe"),       # RIGHT-TO-LEFT ISOLATE and its POP
    ("a\u200bb\u200dc\ufeff.mp4", "abc.mp4"),             # zero-width space, joiner, BOM
    ("x\u061cy\u200e\u200f.mp4", "xy.mp4"),               # Arabic letter mark, LRM, RLM
    ("c1\x85\x9bcontrol.mp4", "c1control.mp4"),           # C1 controls
    ("two\u2028lines.mp4", "two lines.mp4"),              # a line separator reads as a space
    ("中文 课程 ١.mp4", "中文 课程 ١.mp4"),                  # real text is kept
])
def test_format_characters_are_removed_from_names(raw: str, safe: str) -> None:
    assert sanitize_filename(raw) == safe


@pytest.mark.parametrize("header, name", [
    ("attachment; filename=\"fallback.bin\"; filename*=UTF-8''%E4%B8%AD%E6%96%87.mp4", "中文.mp4"),
    ("attachment; filename*=UTF-8''%E4%B8%AD%E6%96%87.mp4; filename=\"fallback.bin\"", "中文.mp4"),
    ("attachment; filename*=iso-8859-1'en'caf%E9.txt", "café.txt"),
    ("attachment; filename*0*=UTF-8''%E4%B8; filename*1*=%AD.mp4", "中.mp4"),
    ("attachment; filename*=no-such-charset''x.bin; filename=\"fallback.bin\"", "fallback.bin"),
    ("attachment; filename*=UTF-8''%FF%FE.bin; filename=\"fallback.bin\"", "fallback.bin"),
    ('attachment; filename="quoted \\"name\\".bin"', 'quoted "name".bin'),
    ("attachment; filename=token.bin", "token.bin"),
    ("attachment; filename*=UTF-8''..%2F..%2Fx.sh", "x.sh"),
    ("attachment", None),
])
def test_filename_star_is_preferred(header: str, name: str) -> None:
    assert filename_from_content_disposition(header) == name


async def test_a_bidi_trick_in_a_served_name_is_undone(kit: AppKit, server: FaultServer) -> None:
    header = "attachment; filename=\"innocent.txt\"; filename*=UTF-8''invoice%E2%80%AEgpj.exe"
    server.add_file("/dl", b"MZ", content_disposition=header)
    task = await kit.download(server.url("/dl"))
    assert Path(task.file_path or "").name == "invoicegpj.exe"
    assert [p.name for p in Path(task.output_path).iterdir()] == ["invoicegpj.exe"]
