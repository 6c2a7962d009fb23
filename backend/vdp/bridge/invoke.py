"""Invoke a command by name with raw JSON arguments: validate, run, and turn the result into wire JSON.

Every failure becomes a plain error string (original-contract.md §1); nothing raises past this point.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import CommandError, VdpError, describe_validation_error
from .registry import CommandSpec, command_table

log = logging.getLogger(__name__)


class InvokeError(Exception):
    """The wire error string of a failed command; `status` is the HTTP status server mode answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


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


async def invoke(app: Any, name: str, raw_args: Any) -> Any:
    try:
        table = _table()
    except Exception as exc:  # a handler module that cannot load must not look like a transport failure
        log.exception("the command table could not be built")
        raise InvokeError(f"System error: {type(exc).__name__}: {exc}", status=500) from None
    spec = table.get(name) if isinstance(name, str) else None
    if spec is None:
        raise InvokeError(f"Unknown command: {str(name)[:100]}", status=404)
    if spec.handler is None:
        raise InvokeError(f"Not implemented yet: {name}", status=501)
    if raw_args is None:
        raw_args = {}
    if not isinstance(raw_args, dict):
        raise InvokeError(f"Invalid arguments for {name}: expected an object", status=400)
    try:
        args = spec.args.model_validate(raw_args)
    except ValidationError as exc:
        raise InvokeError(f"Invalid arguments for {name}: {describe_validation_error(exc)}", status=400) from None
    try:
        return to_wire(await spec.handler(app, args))
    except CommandError as exc:
        raise InvokeError(str(exc), status=400) from None
    except VdpError as exc:
        raise InvokeError(exc.message, status=400) from None
    except Exception as exc:
        log.exception("command %s crashed", name)
        raise InvokeError(f"System error: {type(exc).__name__}: {exc}", status=500) from None
