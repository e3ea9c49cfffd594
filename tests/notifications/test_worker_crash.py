"""`manage.py run_worker` killed in the middle of a batch and started again:
every queued email is sent exactly once (durable delivery, F8).

The worker runs as a real process against this test's database file (or
PostgreSQL database). The SMTP server holds the 3rd email's DATA until the
worker has been killed with SIGKILL, so the crash is deterministic."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from huddle.accounts.actions import create_staff
from huddle.notifications.models import Notification, Status
from tests.conftest import make_world
from tests.notifications.helpers import internal_thread, opt_in, wait_until
from tests.notifications.smtp import SmtpServer

QUEUED = 6


def database_url() -> str:
    """This test's database, as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def start_worker(server: SmtpServer, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "HUDDLE_ENV": "test",
        "NOTIFICATION_DELAY_SECONDS": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(server.port),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "false",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--claim-seconds",
                "1",
                "--idle-seconds",
                "0.1",
            ],
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    process.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_and_restarted_sends_every_email_exactly_once(
    settings: Any, tmp_path: Path
) -> None:
    settings.NOTIFICATION_DELAY_SECONDS = 0  # due as soon as queued
    world = make_world()
    people = [
        create_staff(
            actor=world.admin, name=f"Person {i}", email=f"p{i}@maple.example", roles=["biller"]
        )
        for i in range(QUEUED)
    ]
    opt_in(*people)
    internal_thread(world.clinician, *people)
    assert Notification.objects.filter(status=Status.PENDING).count() == QUEUED

    server = SmtpServer()
    server.inbox.hold_call = 3
    server.start()
    log = tmp_path / "worker.log"
    first = second = None
    try:
        first = start_worker(server, log)
        assert server.inbox.held.wait(timeout=60), log.read_text()
        assert len(server.inbox.raw) == 2
        stop(first, signal.SIGKILL)  # in the middle of sending the 3rd email
        assert first.returncode == -signal.SIGKILL
        server.inbox.release.set()
        in_flight = Notification.objects.exclude(claimed_until=None).get()
        assert in_flight.status == Status.PENDING

        second = start_worker(server, log)
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
