"""Send later (F21): a reply or a new thread stored now and sent by the worker at
`send_at` as its author, unless the author has lost access by then (then it is
not sent, it is marked failed and the author is told).

Exactly once across worker crashes and several workers: the worker claims an
item with a conditional update (`scheduled` → `sent`) in the same transaction as
the send itself. A crash before the commit undoes both; a second worker's claim
waits for the first's row lock (PostgreSQL) or the write lock (SQLite), then
finds the item no longer `scheduled`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from huddle import audit
from huddle.accounts.models import User
from huddle.core.errors import ActionError, Conflict, InvalidInput, NotFound, RateLimited
from huddle.messaging import checks, drafts, live, publishing, sending, urgent
from huddle.messaging.access import get_client_for_staff, get_participation, require_view_enabled
from huddle.messaging.models import Participant, ScheduledMessage, ScheduleStatus, Thread, View

logger = logging.getLogger("huddle.messaging")

EARLIEST = timedelta(minutes=1)
LATEST = timedelta(days=30)
LIST_MAX = 200


def check_send_at(send_at: datetime, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    if timezone.is_naive(send_at):
        raise InvalidInput.field("send_at", "Give the time with its time zone offset.")
    if send_at < now + EARLIEST:
        raise InvalidInput.field("send_at", "Choose a time at least a minute from now.")
    if send_at > now + LATEST:
        raise InvalidInput.field("send_at", "Choose a time at most 30 days from now.")
    return send_at


def check_no_files(attachment_ids: Sequence[int]) -> None:
    """Send later carries text only: files go when they are sent."""
    if attachment_ids:
        raise InvalidInput.field(
            "attachment_ids", "Files can't be sent later: send them now, or leave them out."
        )


def _audit(action: audit.Action, item: ScheduledMessage) -> None:
    if item.thread_id is not None:
        audit.record_thread(action, actor=item.author, thread_id=item.thread_id)
    else:
        audit.record(
            action, actor=item.author, object_type=audit.ObjectType.USER, object_id=item.author_id
        )


@transaction.atomic
def schedule_reply(
    *,
    author: User,
    participation: Participant,
    body: str,
    send_at: datetime,
    is_urgent: bool = False,
    attachment_ids: Sequence[int] = (),
) -> ScheduledMessage:
    check_no_files(attachment_ids)
    body = checks.check_body(body)
    urgent.check_sender(author, is_urgent)
    send_at = check_send_at(send_at)
    item = ScheduledMessage.objects.create(
        author=author,
        thread_id=participation.thread_id,
        body=body,
        urgent=is_urgent,
        send_at=send_at,
        created_at=timezone.now(),
    )
    drafts.discard_reply_draft(user_id=author.pk, thread_id=participation.thread_id)
    _audit(audit.Action.MESSAGE_SCHEDULED, item)
    return item


@transaction.atomic
def schedule_thread(
    *,
    author: User,
    user_ids: list[int] | None = None,
    group_keys: list[str] | None = None,
    client_id: int | None = None,
    audience: str | None = None,
    subject: str,
    body: str,
    send_at: datetime,
    is_urgent: bool = False,
    attachment_ids: Sequence[int] = (),
    draft_id: int | None = None,
) -> ScheduledMessage:
    """Checked now as a send would be (recipients, the client, the team); the
    recipients are resolved again when it is sent. The draft it was written in
    (`draft_id`, the author's) goes with the scheduling."""
    check_no_files(attachment_ids)
    subject = checks.check_subject(subject)
    body = checks.check_body(body)
    urgent.check_sender(author, is_urgent)
    send_at = check_send_at(send_at)
    recipients: dict[str, Any] = {}
    if client_id is None and author.is_staff_member:
        require_view_enabled(author, View.PRACTICE)
        checks.resolve_recipients(
            sender=author, user_ids=user_ids or [], group_keys=group_keys or []
        )
        recipients = {"users": [str(u) for u in user_ids or []], "groups": list(group_keys or [])}
    else:
        require_view_enabled(author, View.CLIENTS)
        if author.is_staff_member:
            get_client_for_staff(author, client_id or 0)
        else:
            client_id = author.pk
            checks.check_audience(audience)
    item = ScheduledMessage.objects.create(
        author=author,
        subject=subject,
        body=body,
        recipients=recipients,
        client_id=client_id,
        audience=audience or "",
        urgent=is_urgent,
        send_at=send_at,
        created_at=timezone.now(),
    )
    drafts.discard_thread_draft(user_id=author.pk, draft_id=draft_id)
    _audit(audit.Action.MESSAGE_SCHEDULED, item)
    return item


def scheduled_of(user: User) -> list[ScheduledMessage]:
    """The caller's scheduled items, the next to go first, then the rest newest first
    (index `scheduled_by_author`)."""
    items = list(ScheduledMessage.objects.filter(author=user).order_by("-send_at")[:LIST_MAX])
    waiting = sorted(
        (i for i in items if i.status == ScheduleStatus.SCHEDULED), key=lambda i: i.send_at
    )
    return waiting + [i for i in items if i.status != ScheduleStatus.SCHEDULED]


def item_of(user: User, item_id: int) -> ScheduledMessage:
    found = ScheduledMessage.objects.filter(author=user, pk=item_id).first()
    if found is None:
        raise NotFound
    return found


def _pending(user: User, item_id: int) -> ScheduledMessage:
    item = item_of(user, item_id)
    locked = ScheduledMessage.objects.select_for_update().get(pk=item.pk)
    if locked.status != ScheduleStatus.SCHEDULED:
        raise Conflict(f"This message is already {locked.get_status_display().lower()}.")
    locked.author = user
    return locked


@transaction.atomic
def update_scheduled(
    *, user: User, item_id: int, send_at: datetime | None = None, body: str | None = None
) -> ScheduledMessage:
    item = _pending(user, item_id)
    if body is not None:
        item.body = checks.check_body(body)
    if send_at is not None:
        item.send_at = check_send_at(send_at)
    item.save(update_fields=["body", "send_at"])
    return item


@transaction.atomic
def cancel_scheduled(*, user: User, item_id: int) -> ScheduledMessage:
    item = _pending(user, item_id)
    item.status = ScheduleStatus.CANCELLED
    item.save(update_fields=["status"])
    _audit(audit.Action.SCHEDULED_CANCELLED, item)
    return item


# The worker's steps.


def due_ids(now: datetime, limit: int) -> list[int]:
    """Due items, oldest first, read from the partial index `scheduled_due`."""
    rows = ScheduledMessage.objects.filter(
        status=ScheduleStatus.SCHEDULED, send_at__lte=now
    ).order_by("send_at")
    return list(rows.values_list("pk", flat=True)[:limit])


def _deliver(item: ScheduledMessage) -> Thread:
    """Send `item` as its author, checking their access as of now."""
    author = User.objects.select_related("practice").get(pk=item.author_id)
    if not author.is_active:
        raise NotFound
    if item.thread_id is not None:
        participation = get_participation(author, item.thread_id)
        sending.send_reply(
            author=author, participation=participation, body=item.body, is_urgent=item.urgent
        )
        return participation.thread
    if item.client_id is None:
        recipients = item.recipients or {}
        return sending.send_thread(
            sender=author,
            user_ids=[int(u) for u in recipients.get("users", [])],
            group_keys=list(recipients.get("groups", [])),
            subject=item.subject,
            body=item.body,
            is_urgent=item.urgent,
        )
    if author.is_staff_member:
        client = get_client_for_staff(author, item.client_id)
    else:
        client = author.client
    return sending.send_client_thread(
        sender=author,
        client=client,
        audience=item.audience or None,
        subject=item.subject,
        body=item.body,
        is_urgent=item.urgent,
    )


def send_one(item_id: int, now: datetime) -> bool:
    """Claim and send one due item; False when another worker had it (or it was
    changed or cancelled meanwhile)."""
    with transaction.atomic():
        won = ScheduledMessage.objects.filter(
            pk=item_id, status=ScheduleStatus.SCHEDULED, send_at__lte=now
        ).update(status=ScheduleStatus.SENT)
        if won != 1:
            return False
        item = ScheduledMessage.objects.get(pk=item_id)
        try:
            with transaction.atomic():
                thread = _deliver(item)
        except RateLimited:
            # Not now: the whole claim is undone and the next round tries again.
            transaction.set_rollback(True)
            return False
        except ActionError as exc:
            reason = "no_access" if isinstance(exc, NotFound) else exc.code
            ScheduledMessage.objects.filter(pk=item_id).update(
                status=ScheduleStatus.FAILED, failure=reason
            )
            logger.info(
                "scheduled message %s of user %s: not sent (%s)", item.pk, item.author_id, reason
            )
            publishing.to_users(
                [item.author_id], live.scheduled_failed(item.pk, item.thread_id, reason)
            )
            return True
        ScheduledMessage.objects.filter(pk=item_id).update(sent_thread=thread)
    return True
