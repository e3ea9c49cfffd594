"""SQLite's write-ahead log running away (issue #20, defect 6): while a reader
keeps an old snapshot open, checkpoints cannot copy the log back into the
database file and it grows with every message. `/healthz` reports it as
unhealthy once the backlog passes SQLITE_WAL_ALERT_MB (here 1 MiB), long
before the disk fills, and healthy again once checkpoints can catch up. On
PostgreSQL, which has no such log, the same long reader changes nothing."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.db import connection

from huddle.messaging.actions import start_thread
from tests.conftest import World
from tests.events.servers import Server, start_server
from tests.reliability.helpers import SERVER_ENV, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

MAX_SENDS = 400


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    found = start_server(
        tmp_path,
        redis_prefix=None,
        name="wsgi",
        app="huddle.wsgi:application",
        interface="wsgi",
        server_args=["--blocking-threads", "1"],
        extra_env={**SERVER_ENV, "SQLITE_WAL_ALERT_MB": "1"},
    )
    yield found
    found.stop()


def health(server: Server) -> httpx.Response:
    return httpx.get(f"{server.url}/healthz", timeout=10)


def test_healthz_reports_a_log_that_checkpoints_cannot_copy_back(
    world: World, server: Server
) -> None:
    thread = start_thread(
        sender=world.admin, user_ids=[world.clinician.pk], subject="Rota", body="Start"
    )
    headers = sign_in(server, world.clinician)
    url = f"{server.url}/api/v1/threads/{thread.pk}/messages"
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        reader = sqlite3.connect(str(connection.settings_dict["NAME"]), isolation_level=None)
    else:
        reader = None
    try:
        if reader is not None:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM messaging_entry").fetchone()  # holds a snapshot
        sent = 0
        while health(server).status_code == 200 and sent < MAX_SENDS:
            answer = httpx.post(url, headers=headers, json={"body": f"m{sent}"}, timeout=30)
            assert answer.status_code == 201, answer.text
            sent += 1
            if not sqlite and sent == 20:
                break
        unhealthy = health(server)
    finally:
        if reader is not None:
            reader.execute("ROLLBACK")
            reader.close()
    if not sqlite:
        assert unhealthy.status_code == 200
        assert "sqlite_wal_bytes" not in unhealthy.json()
        return

    assert unhealthy.status_code == 503, sent
    body = unhealthy.json()
    assert body["sqlite_wal"] == "checkpoints are not keeping up"
    assert body["sqlite_wal_backlog_bytes"] > 1024 * 1024
    assert body["database"] == "ok"  # the database itself still answers
    # The reader has gone: the next checks' checkpoints catch up.
    released = time.monotonic()
    deadline = released + 30
    while (again := health(server)).status_code != 200:
        assert time.monotonic() < deadline, again.text
        time.sleep(0.1)  # polling the server, bounded by the deadline
    assert again.json()["sqlite_wal_backlog_bytes"] == 0  # the log is still large: measured
    print(
        f"\nWAL: unhealthy after {sent} messages behind a long reader"
        f" ({body['sqlite_wal_backlog_bytes'] // 1024} KiB not copied back);"
        f" healthy {time.monotonic() - released:.1f} s after the reader ended"
    )
