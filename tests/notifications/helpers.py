"""Helpers for the notification tests: opting in, sending, and time travel."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from huddle.accounts.models import User
from huddle.messaging import actions as messaging
from huddle.messaging.models import Thread
from huddle.notifications import actions
from huddle.notifications.models import Notification, Status
from huddle.notifications.worker import send_due

SUBJECT = "Medication change for Casey"
BODY = "Casey reported panic attacks after the dose went up; please call."


def opt_in(*users: User, internal: bool = True, client: bool = True) -> None:
    for user in users:
        actions.set_preferences(user=user, internal_messages=internal, client_messages=client)


def internal_thread(sender: User, *to: User, subject: str = SUBJECT, body: str = BODY) -> Thread:
    return messaging.start_thread(
        sender=sender, user_ids=[u.pk for u in to], subject=subject, body=body
    )


def after_delay(extra: float = 1) -> datetime:
    """A moment just past the notification delay of a message sent now."""
    return timezone.now() + timedelta(seconds=settings.NOTIFICATION_DELAY_SECONDS + extra)


def send_all(now: datetime) -> int:
    """Run the worker's step until it finds nothing more to do at `now`."""
    total = 0
    while handled := send_due(now=now):
        total += handled
    return total


def statuses() -> dict[int, str]:
    return dict(Notification.objects.values_list("user_id", "status"))


def pending_for(user: User) -> Notification:
    return Notification.objects.get(user=user, status=Status.PENDING)


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> bool:
    """A bounded polling loop on `condition` (never a bare sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
