"""Types shared by the API schemas."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, PlainSerializer

# Ids are positive 64-bit integers in the database; anything of 19 digits or more
# cannot be one, and would overflow the database driver (a 500) if passed on.
ID_MAX = 10**18 - 1


def _parse_id(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be an id string")
    if isinstance(value, int) and 0 < value <= ID_MAX:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and 0 < len(value) <= 18:
        return int(value)
    raise ValueError("must be an id string")


# Ids travel as strings ("42"); an integer is accepted on input.
Id = Annotated[int, BeforeValidator(_parse_id), PlainSerializer(str, return_type=str)]


def parse_path_id(value: str) -> int | None:
    """An id from a URL, or None when it cannot be one (the caller answers 404)."""
    try:
        return _parse_id(value)
    except ValueError:
        return None


class Input(Schema):
    """Request bodies: unknown fields are refused, so a typo is never ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None


class Error(Schema):
    error: ErrorBody
