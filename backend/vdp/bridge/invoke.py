"""Invoke a command by name with raw JSON arguments: validate, run, and turn the result into wire JSON.

Every failure leaves as one `VdpError` whose text is the wire text, with the command's prefix joined here and
nowhere else (docs/contract.md, "Errors"); anything that is not a `VdpError` is a bug and answers `internal`.
"""

from __future__ import annotations

import asyncio
import logging
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import ErrorCode, ErrorKind, VdpError, describe_validation_error
from ..import_pool import collector_paused
from ..lean_models import wire_dict
from ..slices import loop_slices
from .context import AppContext
from .registry import CommandSpec, command_table

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _table() -> dict[str, CommandSpec]:
    return command_table()


def to_wire(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    return value


WIRE_SLICE = 100  # ≈ 3 ms of a free core per slice (a task converts in ≈ 30 µs): the loop's lag stays under 20 ms


async def to_wire_yielding(value: Any) -> Any:
    """`to_wire`, but a long list (the tasks of a 200,000-row import) is converted a slice at a time, with the event
    loop free to run between slices: converting it in one go held the loop for seconds."""
    if isinstance(value, (list, tuple)) and len(value) > WIRE_SLICE:
        converted: list[Any] = []
        with collector_paused():  # a million fresh dicts: no full collections while they are made
            async for part in loop_slices(value, WIRE_SLICE):
                # the tasks of a 200,000-row import: dicts that share their keys take half the memory
                converted.extend(wire_dict(item) if isinstance(item, BaseModel) else to_wire(item) for item in part)
        return converted
    if isinstance(value, BaseModel):
        long = {name for name, field in value if isinstance(field, list) and len(field) > WIRE_SLICE}
        if long:
            dumped = value.model_dump(mode="json", exclude=long)
            for name in long:
                dumped[name] = await to_wire_yielding(getattr(value, name))
            return dumped
    return to_wire(value)


async def _validated(spec: CommandSpec, raw_args: dict[str, Any]) -> Any:
    """The command's arguments as its model. A long list (10,000 tasks in one `add_download_tasks`) is validated on a
    thread: in one go on the loop it held it for a third of a second; its per-item Python validators let the loop in."""
    if any(isinstance(value, list) and len(value) > WIRE_SLICE for value in raw_args.values()):
        return await asyncio.to_thread(spec.args.model_validate, raw_args)
    return spec.args.model_validate(raw_args)


async def invoke(app: AppContext, name: str, raw_args: Any) -> Any:
    try:
        table = _table()
    except Exception as exc:  # a handler module that cannot load must not look like a transport failure
        log.exception("the command table could not be built")
        raise VdpError(ErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}", kind=ErrorKind.SYSTEM) from None
    spec = table.get(name) if isinstance(name, str) else None
    if spec is None:
        raise VdpError(ErrorCode.UNKNOWN_COMMAND, f"Unknown command: {str(name)[:100]}")
    if spec.handler is None:
        raise VdpError(ErrorCode.NOT_IMPLEMENTED, f"Not implemented yet: {name}")
    if raw_args is None:
        raw_args = {}
    if not isinstance(raw_args, dict):
        raise VdpError(ErrorCode.INVALID_ARGUMENT, f"Invalid arguments for {name}: expected an object")
    try:
        args = await _validated(spec, raw_args)
    except ValidationError as exc:
        original = spec.invalid_args(raw_args, exc) if spec.invalid_args else None
        raise original or VdpError(ErrorCode.INVALID_ARGUMENT,
                                   f"Invalid arguments for {name}: {describe_validation_error(exc)}") from None
    try:
        return await to_wire_yielding(await spec.handler(app, args))
    except VdpError as exc:
        raise exc.in_command(spec.prefix) from None
    except Exception as exc:
        log.exception("command %s crashed", name)
        raise VdpError(ErrorCode.INTERNAL, f"{type(exc).__name__}: {exc}", kind=ErrorKind.SYSTEM) from None
