"""Telling a practice's admins about records events: a live event to each and an
email without health information (no names, no reasons: sign in to see them).

Called inside the action's transaction; everything leaves after the commit."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from huddle.accounts.models import Role, User
from huddle.events import publish as transport
from huddle.events.sse import Delivery

logger = logging.getLogger("huddle.records")

EXPORT_SUBJECT = "An export of your practice's records was started"
EXPORT_BODY = """\
Hello,

A Practice Admin of your practice started an export of the practice's whole
messaging record. You are told because you are a Practice Admin too.

Sign in to see who started it and why, under Settings > Records:
{link}
"""
EMERGENCY_SUBJECT = "Emergency access was used at your practice"
EMERGENCY_BODY = """\
Hello,

Someone at your practice used emergency access to open a client's threads.
You are told because you are a Practice Admin.

Sign in to see who, for which client and why, under Settings > Records:
{link}
"""


def admins(practice_id: int, *, besides: int | None = None) -> list[User]:
    people = User.objects.filter(
        practice_id=practice_id, is_active=True, roles__role=Role.PRACTICE_ADMIN
    ).distinct()
    if besides is not None:
        people = people.exclude(pk=besides)
    return list(people.order_by("pk"))


def publish_to(user_ids: list[int], event: str, data: dict[str, Any]) -> None:
    """A live event to these people, now (call after the commit)."""
    if user_ids and transport.listened_to():
        transport.publish([Delivery(tuple(user_ids), None, event, data)])


def _send(recipients: list[str], subject: str, body: str) -> None:
    try:
        connection = get_connection(fail_silently=False)
        connection.send_messages(
            [EmailMessage(subject=subject, body=body, to=[to]) for to in recipients]
        )
    except Exception as exc:  # the change is committed; the page and the audit log show it
        logger.warning("records: could not email the Practice Admins (%s)", type(exc).__name__)


def tell_admins(
    practice_id: int, *, besides: int | None, event: str, data: dict[str, Any], kind: str
) -> None:
    """After the commit: `event` to the practice's admins (but `besides`) and an email."""
    people = admins(practice_id, besides=besides)
    subject, body = (
        (EXPORT_SUBJECT, EXPORT_BODY) if kind == "export" else (EMERGENCY_SUBJECT, EMERGENCY_BODY)
    )
    link = settings.SITE_URL.rstrip("/") + "/signin"
    ids = [u.pk for u in people]
    addresses = [u.email for u in people]

    def after() -> None:
        publish_to(ids, event, data)
        _send(addresses, subject, body.format(link=link))

    transaction.on_commit(after, robust=True)
