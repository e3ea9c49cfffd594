"""The cursor of a page of results: the last result's rank and document id."""

from __future__ import annotations

import base64
import binascii
import json
import math

from huddle.core.apitypes import ID_MAX
from huddle.core.errors import InvalidInput
from huddle.core.pagination import BAD_CURSOR


def encode(rank: float, pk: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([rank, pk]).encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[float, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        rank, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, RecursionError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput.field("cursor", BAD_CURSOR) from None
    if isinstance(rank, bool) or not isinstance(rank, int | float) or not math.isfinite(rank):
        raise InvalidInput.field("cursor", BAD_CURSOR)
    if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk <= ID_MAX:
        raise InvalidInput.field("cursor", BAD_CURSOR)
    return float(rank), pk
