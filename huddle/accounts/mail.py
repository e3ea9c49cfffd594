"""Emails about a person's own account: invitations, password-reset and
address-confirmation links, and notices of changes made to the account.

They carry no protected health information: no names, no practice, no message;
only what happened to the account and, for a link, the link. Each is sent after
the change commits (`transaction.on_commit`), through Django's email backend as
the notification emails are; a send that fails is logged by its kind only (the
Practice Admin can send a new link)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

logger = logging.getLogger("huddle.accounts")

FOOTER = """
For your privacy, this email does not include names or messages.
If you did not expect it, tell your practice.
"""

INVITATION = (
    "Your Huddle account is ready",
    """Hello,

Your practice has made you an account on Huddle, its secure messaging.
Choose your password here (the link works once, for {hours} hours):
{link}
""",
)
RESET = (
    "Reset your Huddle password",
    """Hello,

Someone asked to reset the password of the Huddle account of this address.
Choose a new password here (the link works once, for {minutes} minutes):
{link}

If it was not you, ignore this email: your password stays as it is.
""",
)
CONFIRM_EMAIL = (
    "Confirm your address for Huddle",
    """Hello,

Your practice changed the email address of your Huddle account to this one.
Confirm it here (the link works once, for {hours} hours):
{link}
""",
)
ADDRESS_IN_USE = (
    "Your address was entered on Huddle",
    """Hello,

A Huddle practice entered this address for an account. It already belongs to
a Huddle account, and an address signs in to one account only, so nothing was
changed and no second account was made.
""",
)
TWO_FACTOR_RESET = (
    "Your two-factor sign-in was reset",
    """Hello,

A Practice Admin turned off the two-factor sign-in of your Huddle account and
signed you out everywhere. Set it up again under Security after you sign in.
""",
)
ROLES_CHANGED = (
    "Your roles on Huddle changed",
    """Hello,

A Practice Admin changed the roles of your Huddle account.
Before: {before}
Now: {after}
Your roles decide which client conversations you can read.
""",
)
COLLEAGUE_ROLES_CHANGED = (
    "Roles changed in your practice on Huddle",
    """Hello,

{who} changed the roles of a staff member of your practice.
Before: {before}
Now: {after}
See Settings > Audit log for who and when.
""",
)


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(kind: str, address: str, subject: str, body: str) -> None:
    try:
        EmailMessage(subject=subject, body=body + FOOTER, to=[address]).send()
    except Exception as exc:  # the change stands; the link can be sent again
        logger.warning("account email not sent: %s (%s)", kind, type(exc).__name__)


def send_after_commit(kind: str, address: str, template: tuple[str, str], **values: str) -> None:
    """Send one account email once the current transaction commits."""
    subject, body = template
    text = body.format(**values)
    transaction.on_commit(lambda: _send(kind, address, subject, text))
