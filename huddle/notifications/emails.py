"""The notification email. It carries no protected health information: no
subject, body, sender, client or practice name; only that a secure message is
waiting and where to sign in."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

from huddle.accounts.models import Kind
from huddle.notifications.models import Notification

SUBJECT = "You have a new secure message"
BODY = """\
Hello,

You have a new secure message waiting for you.

Sign in to read it:
{link}

For your privacy, this email does not include the message or who sent it.
You can change which emails you receive in your notification settings after
signing in.
"""


def signin_link(kind: str) -> str:
    path = "/portal/signin" if kind == Kind.CLIENT else "/signin"
    return settings.SITE_URL.rstrip("/") + path


def message_id(notification: Notification) -> str:
    """The same for every attempt, so a receiver can drop a repeat."""
    domain = urlsplit(settings.SITE_URL).hostname or "huddle.invalid"
    return f"<notification-{notification.pk}@{domain}>"


def build(notification: Notification, connection: BaseEmailBackend) -> EmailMessage:
    user = notification.user
    return EmailMessage(
        subject=SUBJECT,
        body=BODY.format(link=signin_link(user.kind)),
        to=[user.email],  # the bare address: the account's name may be a client's
        connection=connection,
        headers={"Message-ID": message_id(notification)},
    )
