"""Export the wire contract as JSON Schema: one root model that references every type, without per-field titles."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, TypeAdapter, create_model
from pydantic.json_schema import GenerateJsonSchema

from . import commands, config, errors, events, imports, queue, system, tasks, workspace, youtube

_MODULES = (tasks, config, errors, events, imports, system, youtube, commands, queue, workspace)


class _NoFieldTitles(GenerateJsonSchema):
    """json-schema-to-typescript turns every `title` into a named type; keep titles on models only."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def contract_models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for module in _MODULES:
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, BaseModel)
                and value.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found[name] = value
    return [found[name] for name in sorted(found)]


def contract_schema() -> dict[str, Any]:
    models = contract_models()
    root = create_model("VdpContract", **{m.__name__: (m, ...) for m in models})  # type: ignore[call-overload]
    schema: dict[str, Any] = root.model_json_schema(mode="serialization", schema_generator=_NoFieldTitles)
    schema["title"] = "VdpContract"
    schema["description"] = "Generated from backend/vdp/contract. Do not edit."
    schema["x-commands"] = _command_map(set(schema.get("$defs", {})))
    return schema


def _command_map(known: set[str]) -> dict[str, Any]:
    """Per command: `args` and `result` as JSON Schema over this schema's `$defs` (shared-schema/generate.mjs turns it
    into the TS `CommandMap`). The command table lives with the bridge; only this export reads it."""
    from ..bridge.registry import command_signatures

    commands: dict[str, Any] = {}
    for name, (args, result) in sorted(command_signatures().items()):
        if isinstance(result, type) and issubclass(result, BaseModel):
            result_schema: dict[str, Any] = {"$ref": f"#/$defs/{result.__name__}"}  # (unknown to TS if not in known)
        else:
            result_schema = TypeAdapter(result).json_schema(mode="serialization", ref_template="#/$defs/{model}")
            result_schema.pop("$defs", None)  # nested models are contract models, defined once above
        commands[name] = {
            "args": {"$ref": f"#/$defs/{args.__name__}"} if args.__name__ in known else {},
            "result": _strip_titles(result_schema),
        }
    return commands


def _strip_titles(node: Any) -> Any:
    if isinstance(node, list):
        return [_strip_titles(v) for v in node]
    if isinstance(node, dict):
        return {k: _strip_titles(v) for k, v in node.items() if k != "title"}
    return node


def contract_schema_text() -> str:
    return json.dumps(contract_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(contract_schema_text())
