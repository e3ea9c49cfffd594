"""Reading notification state: a person's preferences, who a new message
should notify, and whether a queued notification is still due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min

from huddle.accounts.models import Kind, User
from huddle.messaging.models import Participant, View
from huddle.messaging.rules import PEOPLE_OF_THREAD
from huddle.notifications.models import Notification, Preference


def preferences_of(user: User) -> Preference:
    """The stored preferences, or the defaults for the user's kind (1 statement)."""
    found = Preference.objects.filter(user=user).first()
    return found if found is not None else Preference.defaults_for(user)


def delay() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_DELAY_SECONDS)


# Everyone a new message may notify: the thread's other participants with active
# accounts who asked for it (a client's default is on) and have no email pending
# yet, which covers this message too. One INSERT … SELECT, however many there are.
_QUEUE = (
    "INSERT INTO notifications_notification"
    " (user_id, status, created_at, next_attempt_at, attempts, last_error)"
    " SELECT u.id, 'pending', %s, %s, 0, ''"
    " FROM accounts_user u"
    " LEFT JOIN notifications_preference np ON np.user_id = u.id"
    " WHERE u.id IN ({people}) AND u.id <> %s AND u.is_active AND ({wants})"
    " AND NOT EXISTS (SELECT 1 FROM notifications_notification n"
    " WHERE n.user_id = u.id AND n.status = 'pending')"
    # In one order, so two messages queuing for the same people at once wait for
    # each other on PostgreSQL instead of deadlocking.
    " ORDER BY u.id"
    " ON CONFLICT DO NOTHING"
)
_WANTS = {
    View.PRACTICE: "np.internal_messages",
    View.CLIENTS: "np.client_messages OR (np.user_id IS NULL AND u.kind = %s)",
}


def queue_for_message(*, thread_id: int, view: str, author_id: int) -> tuple[str, list[object]]:
    """The statement that queues a new message's emails, and its parameters after
    the two times (created, due)."""
    params: list[object] = [thread_id, author_id]
    if view == View.CLIENTS:
        params.append(Kind.CLIENT.value)
    return _QUEUE.format(people=PEOPLE_OF_THREAD, wants=_WANTS[View(view)]), params


@dataclass(frozen=True)
class Decision:
    """What to do with a claimed notification now."""

    send: bool
    later: datetime | None = None  # when not sending yet: try again then


SKIP = Decision(send=False)


def decide(notification: Notification, now: datetime) -> Decision:
    """Whether the person should be emailed now, checked again at sending time:
    they are still active and still want it, and a message that arrived since
    the notification was queued is still unread, on a thread they may still see
    (a clinician unassigned from the client no longer has a place on it).
    A message newer than the delay puts the email off until its delay is over.
    """
    user = notification.user
    practice = user.practice
    if not user.is_active or not practice.secure_messaging_enabled:
        return SKIP
    prefs = preferences_of(user)
    views = []
    if prefs.client_messages:
        views.append(View.CLIENTS)
    if prefs.internal_messages and user.is_staff_member and practice.practice_messaging_enabled:
        views.append(View.PRACTICE)
    if not views:
        return SKIP
    oldest = Participant.objects.filter(
        user=user,
        view__in=views,
        deleted=False,
        unread_count__gt=0,
        thread__practice_id=user.practice_id,
        thread__last_message_at__gte=notification.created_at,
    ).aggregate(oldest=Min("thread__last_message_at"))["oldest"]
    if oldest is None:
        return SKIP
    ready_at = oldest + delay()
    if ready_at > now:
        return Decision(send=False, later=ready_at)
    return Decision(send=True)
