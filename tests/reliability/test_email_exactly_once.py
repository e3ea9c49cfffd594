"""Two `manage.py run_worker` processes and a slow real SMTP server: every queued
email is sent exactly once (issue #20, defect 2).

The SMTP server (aiosmtpd) takes SMTP_SECONDS to accept each email, so one
worker's batch of QUEUED emails lasts several times CLAIM_SECONDS. Each claim
must be dated from the moment it is taken: a claim dated from the start of the
batch has already run out when a late email of the batch is claimed, and the
second worker sends that email too (before the fix: duplicates on both
databases)."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from huddle.notifications.models import Notification, Status
from tests.notifications.helpers import wait_until
from tests.notifications.smtp import Inbox, SmtpServer
from tests.notifications.workers import queue_emails, start_worker

QUEUED = 16
SMTP_SECONDS = 0.5  # each email takes this long to be accepted
CLAIM_SECONDS = 3  # far longer than one email, far shorter than a batch (8 s)


class SlowInbox(Inbox):
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        await asyncio.sleep(SMTP_SECONDS)
        return await super().handle_DATA(server, session, envelope)


@pytest.mark.django_db(transaction=True)
def test_two_workers_and_a_slow_smtp_server_send_every_email_exactly_once(
    settings: Any, tmp_path: Path
) -> None:
    settings.NOTIFICATION_DELAY_SECONDS = 0
    people = queue_emails(QUEUED)

    server = SmtpServer()
    server.inbox = SlowInbox()
    server.controller.handler = server.inbox
    server.start()
    log = tmp_path / "workers.log"
    workers = [
        start_worker(server.port, log, claim_seconds=CLAIM_SECONDS),
        start_worker(server.port, log, claim_seconds=CLAIM_SECONDS),
    ]
    try:

        def all_sent() -> bool:
            return Notification.objects.filter(status=Status.SENT).count() == QUEUED

        assert wait_until(all_sent, timeout=120), log.read_text()
        # Both workers stay running: a late duplicate would still arrive now.
        # Stopping them waits for the email each has in hand.
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            assert worker.wait(timeout=30) == 0, log.read_text()
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
        server.stop()

    sent_to = Counter(to for [to] in server.inbox.recipients)
    duplicates = {to: n for to, n in sent_to.items() if n > 1}
    assert duplicates == {}, log.read_text()
    assert sorted(sent_to) == sorted(p.email for p in people)
    assert len({m["Message-ID"] for m in server.inbox.messages}) == QUEUED
    rows = Notification.objects.filter(user__in=people)
    assert sorted(rows.values_list("status", flat=True)) == [Status.SENT] * QUEUED
    # Each email was claimed once: no second worker ever took one over.
    assert sorted(rows.values_list("attempts", flat=True)) == [1] * QUEUED
