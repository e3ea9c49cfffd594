"""Keyset (cursor) pagination: the cost of a page does not grow with the list."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from django.db import models

from huddle.core.apitypes import ID_MAX
from huddle.core.errors import InvalidInput

M = TypeVar("M", bound=models.Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
BAD_CURSOR = "The cursor is not valid."


@dataclass
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _encode(name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([name, pk]).encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, RecursionError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput.field("cursor", "The cursor is not valid.") from None
    # NUL cannot reach PostgreSQL and an id out of range overflows the driver:
    # both would be a 500, so they are refused as any other forged cursor.
    if not isinstance(name, str) or "\x00" in name or not isinstance(pk, int):
        raise InvalidInput.field("cursor", "The cursor is not valid.")
    if not 0 < pk <= ID_MAX:
        raise InvalidInput.field("cursor", "The cursor is not valid.")
    return name, pk


def encode_time_cursor(at: datetime, pk: int) -> str:
    """A cursor for lists ordered newest first by a time, then by id."""
    raw = json.dumps([at.isoformat(), pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_time_cursor(cursor: str) -> tuple[datetime, int]:
    # A forged cursor is bad input, never a 500: deeply nested JSON (RecursionError),
    # a time that leaves years 1..9999 once in UTC (OverflowError in the driver),
    # an id out of range.
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        at, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("no UTC offset")
        when = when.astimezone(UTC)
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error):
        raise InvalidInput.field("cursor", BAD_CURSOR) from None
    if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk <= ID_MAX:
        raise InvalidInput.field("cursor", BAD_CURSOR)
    return when, pk


def check_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput.field("limit", f"The limit must be between 1 and {MAX_LIMIT}.")
    return limit


def by_name(
    queryset: models.QuerySet[M], *, cursor: str | None, limit: int | None, field: str = "name"
) -> Page[M]:
    """One page of `queryset` ordered by (`field`, id), after `cursor`."""
    size = check_limit(limit)
    qs = queryset.order_by(field, "pk")
    if cursor:
        name, pk = _decode(cursor)
        qs = qs.filter(models.Q(**{f"{field}__gt": name}) | models.Q(**{field: name, "pk__gt": pk}))
    rows = list(qs[: size + 1])
    if len(rows) <= size:
        return Page(items=rows, next_cursor=None)
    last = rows[size - 1]
    value = last
    for part in field.split("__"):
        value = getattr(value, part)
    return Page(items=rows[:size], next_cursor=_encode(str(value), int(last.pk)))
