"""The notification worker: small steps that tests call directly (STYLE.md 14).

`send_due()` sends one batch of due emails and answers how many notifications
it handled (0: nothing to do). `run()` calls it in a loop; it runs as
`manage.py run_worker`, or as a daemon thread of the web process
(HUDDLE_IN_PROCESS_WORKER=1, as `make run` does).

Each notification is claimed with a conditional update right before it is
sent, so two workers never send the same one; the claim lasts `claim_seconds`
from the moment of *that* claim, read from the clock for each email: a batch
of slow SMTP exchanges can outlast `claim_seconds`, and a claim dated from the
batch's start would already have run out when it was taken (issue #20: a
second worker then sent it too).
A worker killed mid-send leaves its one claimed notification to be taken over
once the claim runs out; everything it had not claimed is sent by the next
worker. Emails carry a fixed Message-ID per notification.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import close_old_connections
from django.utils import timezone

from huddle.attachments import cleanup as attachments_cleanup
from huddle.notifications import actions, emails, queries
from huddle.notifications.models import Notification

logger = logging.getLogger("huddle.notifications")

BATCH = 50
CLAIM_SECONDS = 120  # longer than one SMTP exchange can take (SMTP_TIMEOUT)
SMTP_TIMEOUT = 30
IDLE_SECONDS = 1.0  # the worker looks for due emails this often when idle


def _connection() -> BaseEmailBackend:
    timeout = getattr(settings, "EMAIL_TIMEOUT", None) or SMTP_TIMEOUT
    connection: BaseEmailBackend = get_connection(fail_silently=False, timeout=timeout)
    return connection


def _close(connection: BaseEmailBackend | None) -> None:
    if connection is None:
        return
    with contextlib.suppress(Exception):  # a broken connection is being thrown away
        connection.close()


def _deliver(notification: Notification, now: datetime, connection: BaseEmailBackend) -> bool:
    """Send one claimed notification; False when sending failed."""
    try:
        emails.build(notification, connection).send()
    except Exception as exc:
        error = type(exc).__name__
        when = actions.mark_failed(notification, now=now, error=error)
        if when is None:
            logger.error(
                "notification %s for user %s: sending failed (%s), attempt %s; giving up",
                notification.pk,
                notification.user_id,
                error,
                notification.attempts,
            )
        else:
            logger.warning(
                "notification %s for user %s: sending failed (%s), attempt %s; retrying at %s",
                notification.pk,
                notification.user_id,
                error,
                notification.attempts,
                when.isoformat(),
            )
        return False
    actions.mark_sent(notification, now=now)
    logger.info("notification %s for user %s: sent", notification.pk, notification.user_id)
    return True


def send_due(
    now: datetime | None = None, limit: int = BATCH, claim_seconds: int = CLAIM_SECONDS
) -> int:
    """Send the emails due at `now` (at most `limit`); answer how many
    notifications were handled: sent, skipped, put off or failed."""
    started = timezone.now()
    base = now or started
    handled = 0
    connection: BaseEmailBackend | None = None
    try:
        for pk in actions.due_ids(base, limit):
            # The claim's own time: the batch's moment plus the time spent so far.
            at = base + (timezone.now() - started)
            notification = actions.claim(pk, now=at, until=at + timedelta(seconds=claim_seconds))
            if notification is None:
                continue  # another worker has it
            handled += 1
            # Decisions (due, retry times) at the moment the caller named, if any.
            when = now or at
            decision = queries.decide(notification, when)
            if decision.later is not None:
                actions.postpone(notification, until=decision.later)
            elif not decision.send:
                actions.mark_skipped(notification)
            else:
                if connection is None:
                    connection = _connection()
                if not _deliver(notification, when, connection):
                    _close(connection)
                    connection = None
    finally:
        _close(connection)
    return handled


def run(
    stop: threading.Event,
    *,
    limit: int = BATCH,
    idle_seconds: float = IDLE_SECONDS,
    claim_seconds: int = CLAIM_SECONDS,
) -> None:
    """Send due emails until `stop` is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            handled = send_due(limit=limit, claim_seconds=claim_seconds)
            # conversation: escalations, scheduled sends, urgent emails, old drafts.
            from huddle.messaging import worker_steps

            handled += worker_steps.run_due()
            # Uploads never sent, at most every ten minutes (docs/ATTACHMENTS.md).
            attachments_cleanup.remove_unsent_if_due()
        except Exception:
            logger.exception("the notification worker's batch failed; trying again")
            handled = 0
        try:
            # Availability: away coverage starts and ends on time (docs/MESSAGING.md).
            from huddle.availability.actions import sweep

            handled += sweep()
        except Exception:
            logger.exception("the availability sweep failed; trying again")
        finally:
            close_old_connections()
        if not handled:
            stop.wait(idle_seconds)


def start_in_process() -> threading.Thread:
    """The single-process default: the worker as a daemon thread of the web server."""
    thread = threading.Thread(
        target=run, args=(threading.Event(),), name="notification-worker", daemon=True
    )
    thread.start()
    return thread
