"""Reading the audit log: one practice's events, newest first, filtered, in
keyset pages. A page costs the same number of statements however many rows the
log holds (the tests pin it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Q, QuerySet

from huddle.accounts.models import User
from huddle.audit.models import AuditEvent, ObjectType
from huddle.core.errors import InvalidInput
from huddle.core.pagination import check_limit, decode_time_cursor, encode_time_cursor
from huddle.messaging.models import Participant


@dataclass(frozen=True)
class Filters:
    user_id: int | None = None
    thread_id: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class EventPage:
    items: list[AuditEvent]
    next_cursor: str | None


def to_utc(field: str, value: datetime | None) -> datetime | None:
    """A time with an offset, in UTC; one that leaves years 1..9999 is bad input."""
    if value is None:
        return None
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise InvalidInput.field(field, "Use a time between the years 1 and 9999.") from None


def _filtered(practice_id: int, filters: Filters) -> QuerySet[AuditEvent]:
    rows = AuditEvent.objects.filter(practice_id=practice_id)
    if filters.user_id is not None:
        rows = rows.filter(actor_id=filters.user_id)
    if filters.thread_id is not None:
        rows = rows.filter(object_type=ObjectType.THREAD, object_id=filters.thread_id)
    if filters.action is not None:
        rows = rows.filter(action=filters.action)
    if filters.since is not None:
        rows = rows.filter(at__gte=filters.since)
    if filters.until is not None:
        rows = rows.filter(at__lt=filters.until)
    return rows


def events(
    practice_id: int,
    filters: Filters,
    *,
    cursor: str | None = None,
    limit: int | None = None,
) -> EventPage:
    """One page of the practice's audit log, newest first (1 statement)."""
    size = check_limit(limit)
    rows = _filtered(practice_id, filters)
    if cursor:
        at, pk = decode_time_cursor(cursor)
        rows = rows.filter(Q(at__lt=at) | Q(at=at, pk__lt=pk))
    page = list(rows.select_related("actor").order_by("-at", "-pk")[: size + 1])
    next_cursor = None
    if len(page) > size:
        page = page[:size]
        next_cursor = encode_time_cursor(page[-1].at, page[-1].pk)
    return EventPage(items=page, next_cursor=next_cursor)


def people(practice_id: int) -> list[User]:
    """Everyone of the practice, for the person filter (1 statement)."""
    return list(
        User.objects.filter(practice_id=practice_id)
        .only("pk", "name", "kind", "practice_id")
        .order_by("name", "pk")
    )


def openable_threads(viewer: User, events: list[AuditEvent]) -> set[int]:
    """Of the threads these events name, those `viewer` is on (1 statement)."""
    ids = {
        e.object_id
        for e in events
        if e.object_type == ObjectType.THREAD and e.object_id is not None
    }
    if not ids:
        return set()
    return set(
        Participant.objects.filter(
            user=viewer, deleted=False, thread_id__in=ids, thread__practice_id=viewer.practice_id
        ).values_list("thread_id", flat=True)
    )
