"""Reading notification state: a person's preferences, who a new message
should notify, and whether a queued notification is still due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Q

from huddle.accounts.models import Kind, User
from huddle.messaging.models import Entry, Participant, View
from huddle.notifications.models import Notification, Preference, Status


def preferences_of(user: User) -> Preference:
    """The stored preferences, or the defaults for the user's kind (1 statement)."""
    found = Preference.objects.filter(user=user).first()
    return found if found is not None else Preference.defaults_for(user)


def delay() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_DELAY_SECONDS)


def _wants(view: str) -> Q:
    """People whose preferences ask for email about messages of `view`."""
    flag = "internal_messages" if view == View.PRACTICE else "client_messages"
    wants = Q(**{f"notification_preference__{flag}": True})
    if view == View.CLIENTS:
        # No stored preferences: a client's default is on.
        wants |= Q(notification_preference__isnull=True, kind=Kind.CLIENT)
    return wants


def recipient_ids(entry: Entry) -> list[int]:
    """Everyone a new message may notify: the thread's other participants with
    active accounts who asked for it and have no email pending yet, which
    covers this message too (1 statement, however many there are)."""
    thread = entry.thread
    pending = Notification.objects.filter(user=OuterRef("pk"), status=Status.PENDING)
    rows = (
        User.objects.filter(participations__thread_id=thread.pk, is_active=True)
        .exclude(pk=entry.author_id)
        .filter(_wants(thread.view))
        .exclude(Exists(pending))
    )
    return list(rows.values_list("pk", flat=True))


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
