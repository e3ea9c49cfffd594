from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictStr

from huddle.core.apitypes import Id, Input, Limit
from huddle.messaging.schemas import Person
from huddle.search.terms import Q_MAX

Kind = Literal["message", "subject", "attachment"]


class SearchIn(Input):
    q: Annotated[StrictStr, Field(json_schema_extra={"minLength": 1, "maxLength": Q_MAX})]
    view: Annotated[str, Field(json_schema_extra={"enum": ["practice", "clients"]})] | None = None
    folder: Annotated[str, Field(json_schema_extra={"enum": ["inbox", "archived"]})] | None = None
    client_id: Id | None = None
    participant_id: Id | None = None
    since: datetime | None = None
    until: datetime | None = None
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
