from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictStr

from huddle.core.apitypes import Id, Input, Limit
from huddle.messaging.schemas import Person
from huddle.search.terms import Q_MAX

Kind = Literal["message", "subject", "attachment"]


def _time_text(value: object) -> object:
    """A time is ISO 8601 text, as the schema says: not a number of seconds."""
    if not isinstance(value, str):
        raise ValueError("Use a time as ISO 8601 text, e.g. 2026-12-03T09:00:00Z")
    return value


Time = Annotated[datetime, BeforeValidator(_time_text)]


class SearchIn(Input):
    q: Annotated[StrictStr, Field(json_schema_extra={"minLength": 1, "maxLength": Q_MAX})]
    view: Annotated[str, Field(json_schema_extra={"enum": ["practice", "clients"]})] | None = None
    folder: Annotated[str, Field(json_schema_extra={"enum": ["inbox", "archived"]})] | None = None
    client_id: Id | None = None
    participant_id: Id | None = None
    since: Time | None = None
    until: Time | None = None
    cursor: str | None = None
    limit: Limit | None = None


class ThreadRef(Schema):
    id: Id
    subject: str
    view: str


class SearchResultOut(Schema):
    thread: ThreadRef
    entry_id: Id
    kind: Kind
    snippet: str
    # [start, end) offsets in code points into `snippet`.
    highlights: list[tuple[int, int]]
    author: Person
    sent_at: datetime


class SearchResults(Schema):
    items: list[SearchResultOut]
    next_cursor: str | None
