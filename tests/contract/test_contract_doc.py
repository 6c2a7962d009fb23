"""docs/contract.md describes every command and every error code a newcomer will meet on the wire."""

from __future__ import annotations

from pathlib import Path

from vdp.bridge.registry import command_table

DOC = (Path(__file__).parents[2] / "docs" / "contract.md").read_text(encoding="utf-8")


def test_every_command_is_documented() -> None:
    missing = [name for name in command_table() if f"`{name}`" not in DOC]
    assert not missing, f"add these commands to docs/contract.md: {missing}"


def test_the_command_error_codes_are_documented() -> None:
    for code in ("task_not_found", "invalid_status", "not_active", "concurrency_limit", "partial_failure",
                 "file_not_found", "parse_error", "invalid_config", "invalid_argument", "unknown_command", "internal"):
        assert f"`{code}`" in DOC, code
