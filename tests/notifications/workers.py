"""Real `manage.py run_worker` processes for the notification tests: the test's
database as a DATABASE_URL, a worker against a loopback SMTP server, and a
practice with emails queued for it to send."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings as django_settings
from django.db import connection

from huddle.accounts.actions import create_staff
from huddle.accounts.models import User
from huddle.notifications.models import Notification, Status
from tests.conftest import make_world
from tests.notifications.helpers import internal_thread, opt_in


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


def start_worker(smtp_port: int, log: Path, *, claim_seconds: float) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "HUDDLE_ENV": "test",
        "NOTIFICATION_DELAY_SECONDS": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": "false",
    }
    command = [sys.executable, "manage.py", "run_worker"]
    command += ["--claim-seconds", str(claim_seconds), "--idle-seconds", "0.1"]
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=django_settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
    process.wait(timeout=30)


def queue_emails(count: int) -> list[User]:
    """A practice where `count` opted-in billers each have one email due now
    (NOTIFICATION_DELAY_SECONDS must be 0)."""
    world = make_world()
    people = [
        create_staff(
            actor=world.admin, name=f"Person {i}", email=f"p{i}@maple.example", roles=["biller"]
        )
        for i in range(count)
    ]
    opt_in(*people)
    internal_thread(world.clinician, *people)
    assert Notification.objects.filter(status=Status.PENDING).count() == count
    return people
