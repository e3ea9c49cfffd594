"""Retention (F15): how long a practice keeps its threads, legal holds that stop
any purge, and the worker's purge step, in bounded batches.

Nothing is purged before a thread's last activity is `retention_years` old, and
then only with `purge_after_retention` on and no hold covering it (on the
practice, the thread's client or the thread). A person's delete never removes
anything: it only hides a thread from their own folders."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from huddle import audit
from huddle.accounts.access import require_practice_admin
from huddle.accounts.models import User
from huddle.core.errors import InvalidInput, NotFound
from huddle.messaging.models import Entry, EntryKind, Thread
from huddle.records import attachments
from huddle.records.models import (
    RETENTION_YEARS_MAX,
    RETENTION_YEARS_MIN,
    HoldScope,
    LegalHold,
    RetentionSettings,
)
from huddle.records.reasons import check_reason

PURGE_BATCH = 50


def settings_of(practice_id: int) -> RetentionSettings:
    found = RetentionSettings.objects.filter(practice_id=practice_id).first()
    return found or RetentionSettings(practice_id=practice_id)


@transaction.atomic
def update_retention(
    *, user: User, retention_years: int | None = None, purge_after_retention: bool | None = None
) -> RetentionSettings:
    require_practice_admin(user)
    current = settings_of(user.practice_id)
    changed = []
    if retention_years is not None:
        if not RETENTION_YEARS_MIN <= retention_years <= RETENTION_YEARS_MAX:
            raise InvalidInput.field(
                "retention_years",
                f"Choose from {RETENTION_YEARS_MIN} to {RETENTION_YEARS_MAX} years.",
            )
        if retention_years != current.retention_years:
            current.retention_years = retention_years
            changed.append("retention_years")
    if purge_after_retention is not None and purge_after_retention != current.purge_after_retention:
        current.purge_after_retention = purge_after_retention
        changed.append("purge_after_retention")
    if changed:
        current.save()
        audit.record(
            audit.Action.RETENTION_CHANGED,
            actor=user,
            object_type=audit.ObjectType.PRACTICE,
            object_id=user.practice_id,
            detail=audit.fields_detail(changed),
        )
    return current


# Legal holds.


def holds(user: User) -> QuerySet[LegalHold]:
    require_practice_admin(user)
    return (
        LegalHold.objects.filter(practice_id=user.practice_id, released_at__isnull=True)
        .select_related("created_by", "client__user")
        .order_by("-created_at", "-pk")
    )


@transaction.atomic
def place_hold(
    *,
    user: User,
    scope: str | None,
    reason: str | None,
    client_id: int | None = None,
    thread_id: int | None = None,
) -> LegalHold:
    """A hold names a client or thread of the caller's practice by id and reveals
    nothing of it; another practice's id is NotFound (404)."""
    require_practice_admin(user)
    if scope not in HoldScope.values:
        raise InvalidInput.field("scope", "Choose practice, client or thread.")
    hold = LegalHold(practice_id=user.practice_id, scope=scope, created_by=user)
    if scope == HoldScope.CLIENT:
        if client_id is None:
            raise InvalidInput.field("client_id", "Choose the client to hold.")
        from huddle.clients.models import Client

        if not Client.objects.filter(pk=client_id, practice_id=user.practice_id).exists():
            raise NotFound
        hold.client_id = client_id
    elif scope == HoldScope.THREAD:
        if thread_id is None:
            raise InvalidInput.field("thread_id", "Choose the thread to hold.")
        if not Thread.objects.filter(pk=thread_id, practice_id=user.practice_id).exists():
            raise NotFound
        hold.thread_id = thread_id
    hold.reason = check_reason(reason)
    hold.created_at = timezone.now()
    hold.save()
    _audit_hold(audit.Action.LEGAL_HOLD_PLACED, user, hold)
    return hold


@transaction.atomic
def release_hold(*, user: User, hold_id: int) -> None:
    # Only the hold's own row is locked (PostgreSQL cannot lock the nullable side of
    # the joins `holds` adds for display).
    hold = holds(user).select_for_update(of=("self",)).filter(pk=hold_id).first()
    if hold is None:
        raise NotFound
    hold.released_by = user
    hold.released_at = timezone.now()
    hold.save(update_fields=["released_by", "released_at"])
    _audit_hold(audit.Action.LEGAL_HOLD_RELEASED, user, hold)


def _audit_hold(action: audit.Action, user: User, hold: LegalHold) -> None:
    if hold.scope == HoldScope.CLIENT:
        kind, pk = audit.ObjectType.CLIENT, hold.client_id
    elif hold.scope == HoldScope.THREAD:
        kind, pk = audit.ObjectType.THREAD, hold.thread_id
    else:
        kind, pk = audit.ObjectType.PRACTICE, hold.practice_id
    audit.record(action, actor=user, object_type=kind, object_id=pk, detail=f"hold {hold.pk}")


# Purging.


def purgeable(practice_id: int, years: int, now: datetime) -> QuerySet[Thread]:
    """Threads of the practice past retention and under no hold."""
    cutoff = _years_before(now, years)
    live = LegalHold.objects.filter(practice_id=practice_id, released_at__isnull=True)
    if live.filter(scope=HoldScope.PRACTICE).exists():
        return Thread.objects.none()
    held = live.filter(
        Q(scope=HoldScope.THREAD, thread_id=OuterRef("pk"))
        | Q(scope=HoldScope.CLIENT, client_id=OuterRef("client_id"))
    )
    last_entry = Entry.objects.filter(thread_id=OuterRef("pk"), created_at__gte=cutoff)
    return (
        Thread.objects.filter(practice_id=practice_id, last_message_at__lt=cutoff)
        .exclude(Exists(held))
        .exclude(Exists(last_entry))  # a newer header change is activity too
    )


def _years_before(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def purge_step(now: datetime | None = None, limit: int = PURGE_BATCH) -> int:
    """Purge at most `limit` threads of one practice (with purging on); answer how
    many. One audit row per batch, with counts only."""
    now = now or timezone.now()
    for setting in RetentionSettings.objects.filter(purge_after_retention=True).order_by("pk"):
        ids = list(
            purgeable(setting.practice_id, setting.retention_years, now)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            _purge(setting.practice_id, ids)
            return len(ids)
    return 0


@transaction.atomic
def _purge(practice_id: int, thread_ids: list[int]) -> None:
    entries = Entry.objects.filter(thread_id__in=thread_ids)
    messages = entries.filter(kind=EntryKind.MESSAGE).count()
    changes = entries.filter(kind=EntryKind.HEADER_CHANGED).count()
    Thread.objects.filter(pk__in=thread_ids).update(last_message=None)
    attachments.remove_after_commit(thread_ids)  # rows go with their messages
    entries.delete()
    Thread.objects.filter(pk__in=thread_ids).delete()
    audit.record(
        audit.Action.RECORDS_PURGED,
        actor=None,
        practice_id=practice_id,
        object_type=audit.ObjectType.PRACTICE,
        object_id=practice_id,
        detail=f"threads={len(thread_ids)} messages={messages} header_changes={changes}",
    )
