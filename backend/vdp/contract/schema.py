"""Export the wire contract as JSON Schema: one root model that references every type, without per-field titles."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, create_model
from pydantic.json_schema import GenerateJsonSchema

from . import commands, config, events, imports, system, tasks, youtube

_MODULES = (tasks, config, events, imports, system, youtube, commands)


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
    schema = root.model_json_schema(mode="serialization", schema_generator=_NoFieldTitles)
    schema["title"] = "VdpContract"
    schema["description"] = "Generated from backend/vdp/contract. Do not edit."
    return schema


def contract_schema_text() -> str:
    return json.dumps(contract_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(contract_schema_text())
