"""Writing audit rows: one INSERT each, inside the caller's transaction, so an
action that rolls back leaves no row (STYLE.md 1). Nothing here reads first,
and nothing updates or deletes a row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from django.db import connection
from django.utils import timezone

from huddle.audit.middleware import current_ip
from huddle.audit.models import Action, AuditEvent, ObjectType
from huddle.core import sql


class Actor(Protocol):
    """Who acted: an account (`accounts.models.User`), which audit, below accounts,
    knows only by what it writes down."""

    @property
    def pk(self) -> Any: ...

    @property
    def practice_id(self) -> int: ...


class StaffMember(Actor, Protocol):
    """A staff member whose account was changed."""

    @property
    def is_active(self) -> bool: ...


def record(
    action: Action,
    *,
    actor: Actor | None,
    object_type: ObjectType | None = None,
    object_id: int | None = None,
    detail: str = "",
    practice_id: int | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to an object, from the current request's
    address. The practice is the actor's unless given (an operator's action)."""
    if practice_id is None and actor is not None:
        practice_id = actor.practice_id
    return AuditEvent.objects.create(
        practice_id=practice_id,
        actor_id=None if actor is None else actor.pk,
        action=action,
        object_type=object_type or "",
        object_id=object_id,
        detail=detail[:200],
        ip=current_ip(),
    )


def count_recent(action: Action, *, actor: Actor, since: datetime) -> int:
    """How many `action` rows `actor` has since `since` (a throttle's count)."""
    return AuditEvent.objects.filter(
        practice_id=actor.practice_id, actor_id=actor.pk, action=action, at__gte=since
    ).count()


def record_sign_in_failed(
    *, actor_id: int | None, practice_id: int | None, reason: str = ""
) -> AuditEvent:
    """A wrong email or password (or, with `reason`, a wrong authentication code),
    for the account of the email typed (`accounts.actions.failed_sign_in` finds
    it); for an email of no account, both ids are None. Nothing typed is stored."""
    return AuditEvent.objects.create(
        practice_id=practice_id,
        actor_id=actor_id,
        action=Action.SIGN_IN_FAILED,
        detail=reason,
        ip=current_ip(),
    )


_INSERT = (
    "INSERT INTO audit_auditevent"
    " (practice_id, actor_id, action, object_type, object_id, detail, at, ip)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)


def record_thread(action: Action, *, actor: Actor, thread_id: int, detail: str = "") -> None:
    """Something `actor` did to a thread (viewed, sent, edited, archived...): the
    same row as `record` writes, in plain SQL (every message and every thread
    viewed writes one; see core.sql)."""
    ip = current_ip()
    sql.execute(
        _INSERT,
        (
            actor.practice_id,
            actor.pk,
            action.value,
            ObjectType.THREAD.value,
            thread_id,
            detail[:200],
            sql.db_time(timezone.now()),
            None if ip is None else connection.ops.adapt_ipaddressfield_value(ip),
        ),
    )


def record_threads(action: Action, *, actor: Actor, details: dict[int, str]) -> None:
    """The same as `record_thread` for several threads at once, in one INSERT
    (`details`: each thread's id and its detail)."""
    at, ip = timezone.now(), current_ip()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            practice_id=actor.practice_id,
            actor_id=actor.pk,
            action=action,
            object_type=ObjectType.THREAD,
            object_id=thread_id,
            detail=detail[:200],
            at=at,
            ip=ip,
        )
        for thread_id, detail in sorted(details.items())
    )


def fields_detail(fields: Iterable[str]) -> str:
    """The names (never the values) of the fields a change set."""
    return ", ".join(sorted(set(fields)))


def record_staff_change(
    *,
    actor: Actor,
    staff: StaffMember,
    fields: Iterable[str],
    roles_changed: bool,
    detail: str = "",
) -> None:
    """One row for one edit of a staff member: deactivation or reactivation when
    it is one, else a change of roles when it has one, else an edit."""
    names = set(fields) | ({"roles"} if roles_changed else set())
    if "is_active" in names:
        action = Action.STAFF_REACTIVATED if staff.is_active else Action.STAFF_DEACTIVATED
    elif roles_changed:
        action = Action.STAFF_ROLES_CHANGED
    else:
        action = Action.STAFF_EDITED
    record(
        action,
        actor=actor,
        object_type=ObjectType.USER,
        object_id=staff.pk,
        detail="; ".join(d for d in (fields_detail(names), detail) if d),
    )


def record_client_change(
    *, actor: Actor, client_id: int, fields: Iterable[str], clinicians_changed: bool
) -> None:
    """One row for one edit of a client record."""
    names = set(fields) | ({"clinicians"} if clinicians_changed else set())
    action = Action.CLIENT_CLINICIANS_CHANGED if clinicians_changed else Action.CLIENT_EDITED
    record(
        action,
        actor=actor,
        object_type=ObjectType.CLIENT,
        object_id=client_id,
        detail=fields_detail(names),
    )
