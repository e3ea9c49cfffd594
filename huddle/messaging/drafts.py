"""Drafts (F18): half-written replies and new threads, saved on the server while
typing. A draft is its writer's alone (anyone else's id is 404), is not a
message (never listed, exported or counted), is removed when it is sent, and
expires `DRAFT_DAYS` after its last change.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from huddle.accounts.models import User
from huddle.core import limits, sql
from huddle.core.errors import Conflict, InvalidInput, NotFound
from huddle.messaging.models import Audience, Draft, Participant

DRAFT_DAYS = 30
DRAFTS_MAX = 50  # open new-thread drafts per person
ATTACHMENTS_MAX = 10


def expiry(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=DRAFT_DAYS)


def _body(body: str) -> str:
    if len(body) > limits.BODY_MAX:
        raise InvalidInput.field("body", f"Use at most {limits.BODY_MAX:,} characters.")
    return body


def _attachments(ids: list[int] | None) -> list[int]:
    ids = list(ids or [])
    if len(ids) > ATTACHMENTS_MAX:
        raise InvalidInput.field("attachment_ids", f"Attach at most {ATTACHMENTS_MAX} files.")
    return ids


def _live(user: User) -> QuerySet[Draft]:
    return Draft.objects.filter(user=user, updated_at__gte=expiry())


# Reply drafts: one per person and thread.


def reply_draft(participation: Participant) -> Draft:
    found = _live(participation.user).filter(thread_id=participation.thread_id).first()
    if found is None:
        raise NotFound
    return found


@transaction.atomic
def save_reply_draft(
    *, participation: Participant, body: str, attachment_ids: list[int] | None = None
) -> Draft:
    body = _body(body)
    ids = _attachments(attachment_ids)
    draft, _ = Draft.objects.update_or_create(
        user=participation.user,
        thread_id=participation.thread_id,
        defaults={"body": body, "attachment_ids": ids, "updated_at": timezone.now()},
    )
    return draft


# Sending removes the draft it was written in, inside the send's transaction (the
# actions call these): one plain statement each (core.sql), as every reply runs it.
_DELETE_REPLY_DRAFT = "DELETE FROM messaging_draft WHERE user_id = %s AND thread_id = %s"
_DELETE_THREAD_DRAFT = (
    "DELETE FROM messaging_draft WHERE id = %s AND user_id = %s AND thread_id IS NULL"
)


def discard_reply_draft(*, user_id: int, thread_id: int) -> None:
    """Sending a reply removes its draft (1 statement)."""
    sql.execute(_DELETE_REPLY_DRAFT, (user_id, thread_id))


# New-thread drafts.


def thread_drafts(user: User) -> list[Draft]:
    return list(_live(user).filter(thread__isnull=True).order_by("-updated_at", "-pk"))


def thread_draft(user: User, draft_id: int) -> Draft:
    found = _live(user).filter(pk=draft_id, thread__isnull=True).first()
    if found is None:
        raise NotFound
    return found


def _recipients(value: dict[str, Any] | None) -> dict[str, list[str]]:
    value = value or {}
    users = [str(u) for u in value.get("users", [])]
    groups = [str(g) for g in value.get("groups", [])]
    if len(users) > limits.RECIPIENTS_MAX or len(groups) > 100:
        raise InvalidInput.field("recipients", "Too many recipients for one draft.")
    return {"users": users, "groups": groups}


def _fields(
    *,
    subject: str,
    body: str,
    recipients: dict[str, Any] | None,
    client_id: int | None,
    audience: str | None,
    attachment_ids: list[int] | None,
) -> dict[str, Any]:
    if len(subject) > limits.SUBJECT_MAX:
        raise InvalidInput.field("subject", f"Use at most {limits.SUBJECT_MAX} characters.")
    if audience and audience not in Audience.values:
        raise InvalidInput.field("audience", "Choose the clinical, billing or administrative team.")
    return {
        "subject": subject,
        "body": _body(body),
        "recipients": _recipients(recipients),
        "client_id": client_id,
        "audience": audience or "",
        "attachment_ids": _attachments(attachment_ids),
        "updated_at": timezone.now(),
    }


@transaction.atomic
def create_thread_draft(
    *,
    user: User,
    subject: str = "",
    body: str = "",
    recipients: dict[str, Any] | None = None,
    client_id: int | None = None,
    audience: str | None = None,
    attachment_ids: list[int] | None = None,
) -> Draft:
    values = _fields(
        subject=subject,
        body=body,
        recipients=recipients,
        client_id=client_id,
        audience=audience,
        attachment_ids=attachment_ids,
    )
    if _live(user).filter(thread__isnull=True).count() >= DRAFTS_MAX:
        # Not the request's fault but what is stored: 409, as for other limits of
        # what one keeps.
        raise Conflict(f"You have {DRAFTS_MAX} drafts: send or delete some first.")
    return Draft.objects.create(user=user, **values)


@transaction.atomic
def update_thread_draft(
    *,
    user: User,
    draft_id: int,
    subject: str = "",
    body: str = "",
    recipients: dict[str, Any] | None = None,
    client_id: int | None = None,
    audience: str | None = None,
    attachment_ids: list[int] | None = None,
) -> Draft:
    draft = thread_draft(user, draft_id)
    values = _fields(
        subject=subject,
        body=body,
        recipients=recipients,
        client_id=client_id,
        audience=audience,
        attachment_ids=attachment_ids,
    )
    Draft.objects.filter(pk=draft.pk).update(**values)
    draft.refresh_from_db()
    return draft


def delete_draft(*, user: User, draft_id: int) -> None:
    deleted, _ = Draft.objects.filter(user=user, pk=draft_id, thread__isnull=True).delete()
    if not deleted:
        raise NotFound


def discard_thread_draft(*, user_id: int, draft_id: int | None) -> None:
    """Sending a thread with `draft_id` removes that draft (when it is the sender's)."""
    if draft_id is not None:
        sql.execute(_DELETE_THREAD_DRAFT, (draft_id, user_id))


def purge_expired(now: datetime | None = None, limit: int = 500) -> int:
    """The worker's step: drafts untouched for DRAFT_DAYS go (index `draft_expiry`)."""
    ids = list(
        Draft.objects.filter(updated_at__lt=expiry(now)).values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    deleted, _ = Draft.objects.filter(pk__in=ids).delete()
    return deleted
