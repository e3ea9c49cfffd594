"""Every change to notification state goes through these functions (STYLE.md 1):
a person's preferences, queuing for a new message, and the worker's steps."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q

from huddle import audit
from huddle.accounts.models import User
from huddle.core import sql
from huddle.core.errors import InvalidInput
from huddle.messaging.models import Entry
from huddle.notifications import queries
from huddle.notifications.models import Notification, Preference, Status

CLIENTS_HAVE_NO_INTERNAL = "Clients receive no internal messages."

# Retries: 1, 2, 4, … minutes apart, at most an hour, then give up.
RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)
MAX_ATTEMPTS = 10


@transaction.atomic
def set_preferences(
    *,
    user: User,
    internal_messages: bool | None = None,
    client_messages: bool | None = None,
) -> Preference:
    """Save what `user` wants to be emailed about; unnamed choices stay as they are."""
    prefs = queries.preferences_of(user)
    if internal_messages is not None:
        if internal_messages and not user.is_staff_member:
            raise InvalidInput.field("internal_messages", CLIENTS_HAVE_NO_INTERNAL)
        prefs.internal_messages = internal_messages
    if client_messages is not None:
        prefs.client_messages = client_messages
    prefs.save()
    audit.record(
        audit.Action.NOTIFICATIONS_CHANGED,
        actor=user,
        object_type=audit.ObjectType.USER,
        object_id=user.pk,
    )
    return prefs


def on_message_sent(sender: object, *, entry: Entry, **kwargs: object) -> None:
    """`messaging.signals.message_sent`."""
    queue_for_message(entry)


def queue_for_message(entry: Entry) -> None:
    """Queue one email for each person a new message may notify, inside the
    message's transaction: 1 statement however many people (plain SQL, see
    `queries.QUEUE_FOR_MESSAGE`), none queued for someone who already has one
    pending (left out by the query; two messages racing are settled by the
    partial unique constraint)."""
    at = entry.created_at
    statement, params = queries.queue_for_message(
        thread_id=entry.thread_id, view=entry.thread.view, author_id=entry.author_id
    )
    sql.execute(statement, [sql.db_time(at), sql.db_time(at + queries.delay()), *params])


def _claimable(now: datetime) -> Q:
    # Due, and not being sent, or its sender's claim ran out (the worker died).
    return Q(status=Status.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def due_ids(now: datetime, limit: int) -> list[int]:
    rows = Notification.objects.filter(_claimable(now)).order_by("next_attempt_at", "pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def claim(pk: int, *, now: datetime, until: datetime) -> Notification | None:
    """Take one notification for sending until `until`, or None when another
    worker got it first (a conditional update: only one worker wins)."""
    won = (
        Notification.objects.filter(_claimable(now), pk=pk).update(
            claimed_until=until, attempts=F("attempts") + 1
        )
        == 1
    )
    if not won:
        return None
    return Notification.objects.select_related("user__practice").get(pk=pk)


def _finish(notification: Notification, **values: object) -> bool:
    """Change a claimed notification, if the claim is still ours."""
    done = Notification.objects.filter(
        pk=notification.pk, status=Status.PENDING, claimed_until=notification.claimed_until
    ).update(**values)
    return done == 1


def mark_sent(notification: Notification, *, now: datetime) -> bool:
    return _finish(notification, status=Status.SENT, sent_at=now, claimed_until=None)


def mark_skipped(notification: Notification) -> bool:
    return _finish(notification, status=Status.SKIPPED, claimed_until=None)


def postpone(notification: Notification, *, until: datetime) -> bool:
    """Not yet: try again at `until`; this look does not count as an attempt."""
    return _finish(
        notification, next_attempt_at=until, claimed_until=None, attempts=F("attempts") - 1
    )


def retry_at(attempts: int, now: datetime) -> datetime:
    """Exponential back-off: 1, 2, 4, … minutes after the failed attempt."""
    wait: timedelta = min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_MAX)
    return now + wait


def mark_failed(notification: Notification, *, now: datetime, error: str) -> datetime | None:
    """Sending failed: retry later with back-off, or give up after the last
    attempt. Answers when it will be tried again (None: given up)."""
    if notification.attempts >= MAX_ATTEMPTS:
        _finish(notification, status=Status.FAILED, claimed_until=None, last_error=error)
        return None
    when = retry_at(notification.attempts, now)
    _finish(notification, next_attempt_at=when, claimed_until=None, last_error=error)
    return when
