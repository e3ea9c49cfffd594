"""Types shared by the API schemas."""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import BeforeValidator, ConfigDict, Field, PlainSerializer, field_validator

# Ids are positive 64-bit integers in the database; anything of 19 digits or more
# cannot be one, and would overflow the database driver (a 500) if passed on.
ID_MAX = 10**18 - 1


def _parse_id(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("must be an id string")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON has one number type: 42.0 is 42
    if isinstance(value, int) and 0 < value <= ID_MAX:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and 0 < len(value) <= 18:
        return int(value)
    raise ValueError("must be an id string")


# Ids travel as strings ("42"); an integer is accepted on input. The bounds tell
# the OpenAPI document which integers can be ids (the check is `_parse_id`'s).
Id = Annotated[
    int,
    Field(ge=1, le=ID_MAX),
    BeforeValidator(_parse_id),
    PlainSerializer(str, return_type=str),
]


def whole_number(value: Any) -> Any:
    """JSON has one number type: 25.0 is the whole number 25; true is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be a whole number")
        return int(value)
    return value


# A count or a number of days, minutes or years: a JSON number without a fraction,
# its bounds first so that the OpenAPI document states them:
# `Annotated[int, Field(ge=6, le=30), WHOLE_NUMBER]`.
WHOLE_NUMBER = BeforeValidator(whole_number)


def parse_path_id(value: str) -> int | None:
    """An id from a URL, or None when it cannot be one (the caller answers 404)."""
    try:
        return _parse_id(value)
    except ValueError:
        return None


# What the OpenAPI document tells clients about inputs the actions check with their
# own messages (schema only: validation and its messages stay the actions'):
# text that must hold more than white space (and no NUL), a page size.
NON_BLANK: dict[str, Any] = {"minLength": 1, "pattern": r"^[^\x00]*\S[^\x00]*$"}
NO_NUL: dict[str, Any] = {"pattern": r"^[^\x00]*$"}
Limit = Annotated[int, Field(json_schema_extra={"minimum": 1, "maximum": 200})]


class Input(Schema):
    """Request bodies: unknown fields are refused, so a typo is never ignored.

    Text may not contain NUL characters: PostgreSQL cannot store or even compare
    them, so letting one through would answer 500 instead of 400.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Null characters are not allowed")
        return value


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None


class Error(Schema):
    error: ErrorBody


# An operation that may answer 429 says so with the Retry-After header it sends
# (merged into the operation's OpenAPI entry through `openapi_extra`).
RETRY_AFTER: dict[str, Any] = {
    "responses": {
        429: {
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            }
        }
    }
}


JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def json_answer(content: Any, status: int = 200) -> HttpResponse:
    """An answer written exactly as ninja writes one (its encoder, its content
    type), for a body built to the declared schema from stored rows: ninja would
    validate it again, and on the busiest answers that cost more than building it
    (docs/PERFORMANCE.md). The schema tests hold these answers to the schema."""
    text = json.dumps(content, cls=NinjaJSONEncoder)
    return HttpResponse(text, status=status, content_type=JSON_CONTENT_TYPE)
