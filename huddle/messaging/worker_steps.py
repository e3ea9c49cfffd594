"""The conversation features' worker steps (F18, F20, F21), called from the
notification worker's loop (`notifications.worker.run`) and from tests:

- `escalate_due`: urgent messages still awaited after the practice's
  `urgent_escalation_minutes` (partial index `entry_escalation_due`);
- `send_scheduled`: scheduled messages whose time has come (`scheduled_due`);
- `send_alerts`: the PHI-free emails of urgent messages and escalations
  (`urgent_alert_unsent`);
- `purge_drafts`: drafts untouched for 30 days (`draft_expiry`).

Each claims its rows with a conditional update, so several workers never do the
same work twice (docs/MESSAGING.md, "Worker steps").
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone

from huddle.messaging import drafts, scheduled, urgent
from huddle.messaging.models import Entry, UrgentAlert

logger = logging.getLogger("huddle.messaging")

BATCH = 50
CLAIM_SECONDS = 120

URGENT_SUBJECT = "An urgent secure message is waiting for you"
ESCALATION_SUBJECT = "An urgent secure message has not been acknowledged"
BODY = """\
Hello,

{what}

Sign in to see it:
{link}

For your privacy, this email does not include the message, its thread or who sent it.
"""
WHAT = {
    UrgentAlert.Kind.URGENT: "A secure message marked urgent is waiting for you to acknowledge it.",
    UrgentAlert.Kind.ESCALATION: (
        "An urgent secure message has not been acknowledged by everyone it was sent to."
    ),
}


def escalate_due(now: datetime | None = None, limit: int = BATCH) -> int:
    now = now or timezone.now()
    ids = list(
        Entry.objects.filter(escalation_due_at__lte=now)
        .order_by("escalation_due_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if urgent.escalate(pk, now))


def send_scheduled(now: datetime | None = None, limit: int = BATCH) -> int:
    now = now or timezone.now()
    return sum(1 for pk in scheduled.due_ids(now, limit) if scheduled.send_one(pk, now))


def _claimable(now: datetime) -> Q:
    return Q(sent_at__isnull=True) & (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def _email(alert: UrgentAlert) -> EmailMessage:
    domain = urlsplit(settings.SITE_URL).hostname or "huddle.invalid"
    subject = URGENT_SUBJECT if alert.kind == UrgentAlert.Kind.URGENT else ESCALATION_SUBJECT
    return EmailMessage(
        subject=subject,
        body=BODY.format(
            what=WHAT[UrgentAlert.Kind(alert.kind)],
            link=settings.SITE_URL.rstrip("/") + "/signin",
        ),
        to=[alert.user.email],
        headers={"Message-ID": f"<urgent-alert-{alert.pk}@{domain}>"},
    )


def send_alerts(
    now: datetime | None = None, limit: int = BATCH, claim_seconds: int = CLAIM_SECONDS
) -> int:
    """Send the due alert emails; one claimed by a worker that died is sent again
    once its claim runs out (the same Message-ID lets a receiver drop the repeat)."""
    now = now or timezone.now()
    ids = list(
        UrgentAlert.objects.filter(_claimable(now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    handled = 0
    connection = None
    for pk in ids:
        until = now + timedelta(seconds=claim_seconds)
        if UrgentAlert.objects.filter(_claimable(now), pk=pk).update(claimed_until=until) != 1:
            continue
        handled += 1
        alert = UrgentAlert.objects.select_related("user").get(pk=pk)
        if not alert.user.is_active:
            UrgentAlert.objects.filter(pk=pk).update(sent_at=now, claimed_until=None)
            continue
        try:
            connection = connection or get_connection(fail_silently=False)
            message = _email(alert)
            message.connection = connection
            message.send()
        except Exception as exc:  # the claim runs out and a later round retries
            logger.warning("urgent alert %s: sending failed (%s)", pk, type(exc).__name__)
            connection = None
            continue
        UrgentAlert.objects.filter(pk=pk, claimed_until=until).update(
            sent_at=now, claimed_until=None
        )
    return handled


def purge_drafts(now: datetime | None = None) -> int:
    return drafts.purge_expired(now)


def run_due(now: datetime | None = None) -> int:
    """One round of every step; how many items were handled (0: nothing to do)."""
    now = now or timezone.now()
    return escalate_due(now) + send_scheduled(now) + send_alerts(now) + purge_drafts(now)
