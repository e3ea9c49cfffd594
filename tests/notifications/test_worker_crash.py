"""`manage.py run_worker` killed in the middle of a batch and started again:
every queued email is sent exactly once (durable delivery, F8).

The worker runs as a real process against this test's database file (or
PostgreSQL database). The SMTP server holds the 3rd email's DATA until the
worker has been killed with SIGKILL, so the crash is deterministic."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from huddle.notifications.models import Notification, Status
from tests.notifications.helpers import wait_until
from tests.notifications.smtp import SmtpServer
from tests.notifications.workers import queue_emails, start_worker, stop

QUEUED = 6


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_sends_every_email_exactly_once(
    settings: Any, tmp_path: Path
) -> None:
    settings.NOTIFICATION_DELAY_SECONDS = 0  # due as soon as queued
    people = queue_emails(QUEUED)

    server = SmtpServer()
    server.inbox.hold_call = 3
    server.start()
    log = tmp_path / "worker.log"
    first = second = None
    try:
        first = start_worker(server.port, log, claim_seconds=1)
        assert server.inbox.held.wait(timeout=60), log.read_text()
        assert len(server.inbox.raw) == 2
        stop(first, signal.SIGKILL)  # in the middle of sending the 3rd email
        assert first.returncode == -signal.SIGKILL
        server.inbox.release.set()
        in_flight = Notification.objects.exclude(claimed_until=None).get()
        assert in_flight.status == Status.PENDING

        second = start_worker(server.port, log, claim_seconds=1)
        assert server.inbox.wait_for(QUEUED), log.read_text()

        def all_sent() -> bool:
            return Notification.objects.filter(status=Status.SENT).count() == QUEUED

        assert wait_until(all_sent), log.read_text()
        stop(second)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                stop(process, signal.SIGKILL)
        server.stop()

    recipients = [to for [to] in server.inbox.recipients]
    assert sorted(recipients) == sorted(p.email for p in people)
    ids = [m["Message-ID"] for m in server.inbox.messages]
    assert len(set(ids)) == QUEUED
    assert Notification.objects.filter(status=Status.SENT).count() == QUEUED
    in_flight.refresh_from_db()
    assert (in_flight.status, in_flight.attempts) == (Status.SENT, 2)
    assert second.returncode == 0
