"""Base pieces every wire model shares: snake_case fields, nulls kept, `Z` datetimes, PascalCase enums."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainSerializer


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _to_utc(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
    return value


@lru_cache(maxsize=256)
def format_utc(value: datetime) -> str:
    """RFC 3339 with a `Z` suffix and 0 or 3 fractional digits, as the original's chrono output parses in Zod.
    Cached: the tasks of one import share their times, and an answer listing 200,000 of them held one string per
    task and time (some 30 MB) where one per time will do."""
    value = _to_utc(value).replace(tzinfo=None)  # isoformat, not strftime: it runs for every task saved or sent
    return value.isoformat(timespec="milliseconds" if value.microsecond >= 1000 else "seconds") + "Z"


UtcDateTime = Annotated[
    datetime,
    BeforeValidator(_to_utc),
    PlainSerializer(format_utc, return_type=str, when_used="json"),
]


class WireModel(BaseModel):
    """A model as it crosses the bridge: every field present (None is sent as null), unknown input keys ignored."""

    # Every field is always sent, so in the (serialization) schema every field is required, defaults or not.
    model_config = ConfigDict(extra="ignore", populate_by_name=True, serialize_by_alias=True,
                              json_schema_serialization_defaults_required=True)


class WireEnum(str, Enum):
    """A PascalCase wire enum that also accepts the frontend's lowercase spelling on input."""

    @classmethod
    def _missing_(cls, value: object) -> "WireEnum | None":
        if isinstance(value, str):
            folded = value.replace("_", "").replace("-", "").lower()
            for member in cls:
                if member.value.lower() == folded:
                    return member
        return None

    def __str__(self) -> str:
        return str(self.value)
