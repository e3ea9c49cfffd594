from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AwareDatetime, BeforeValidator, Field

from huddle.audit.models import Action, AuditEvent
from huddle.core.apitypes import Id
from huddle.core.pagination import MAX_LIMIT

ID_PATTERN = r"^[1-9][0-9]{0,17}$"
NUMBER = re.compile(r"^\s*[-+]?[0-9.eE+-]*\s*$")


def _iso_text(value: Any) -> Any:
    # Pydantic would read a bare number as seconds since 1970: only ISO 8601 text is a time.
    if not isinstance(value, str) or NUMBER.match(value):
        raise ValueError("use an ISO 8601 date and time with a UTC offset")
    return value


IsoTime = Annotated[AwareDatetime, BeforeValidator(_iso_text)]


class AuditFilters(Schema):
    """The query of GET /api/v1/audit. Anything else answers 400 naming the field."""

    user_id: str | None = Field(None, pattern=ID_PATTERN, description="who acted")
    thread_id: str | None = Field(None, pattern=ID_PATTERN)
    action: Action | None = None
    since: IsoTime | None = Field(None, description="from this time on (included)")
    until: IsoTime | None = Field(None, description="before this time (excluded)")
    cursor: str | None = None
    limit: int | None = Field(None, ge=1, le=MAX_LIMIT)


class Actor(Schema):
    id: Id
    name: str


class AuditEventOut(Schema):
    id: Id
    at: datetime
    action: str
    actor: Actor | None
    object_type: str
    object_id: Id | None
    detail: str
    ip: str | None


class AuditList(Schema):
    items: list[AuditEventOut]
    next_cursor: str | None


def event_out(event: AuditEvent) -> AuditEventOut:
    actor = event.actor
    return AuditEventOut(
        id=event.pk,
        at=event.at,
        action=event.action,
        actor=Actor(id=actor.pk, name=actor.name) if actor is not None else None,
        object_type=event.object_type,
        object_id=event.object_id,
        detail=event.detail,
        ip=event.ip,
    )
