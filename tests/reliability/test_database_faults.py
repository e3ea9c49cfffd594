"""The database hangs or goes away under the production WSGI server (issue #20,
defect 5): `/healthz` answers 503 within about a second instead of hanging
with it; a send answers 503 with Retry-After and a text that does not claim
the message was kept; once the database is back, the same send with its
Idempotency-Key is stored exactly once.

PostgreSQL is reached through a TCP proxy that freezes (a hung server) or drops
every connection (an outage). SQLite hangs when another process holds its
file in exclusive locking mode (every reader waits out the busy timeout), and
refuses a send when another writer keeps the write lock past that timeout."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from django.db import connection

from huddle.messaging.actions import start_thread
from huddle.messaging.models import Entry
from tests.conftest import World
from tests.events import servers
from tests.events.servers import Server, start_server
from tests.reliability.helpers import SERVER_ENV, sign_in
from tests.reliability.proxy import TcpProxy, tcp_proxy

pytestmark = pytest.mark.django_db(transaction=True)

HEALTH_SECONDS = 1.5  # the check's own bound is 1 s; the rest is this busy machine


@pytest.fixture
def proxy() -> Iterator[TcpProxy | None]:
    """A proxy in front of PostgreSQL; None on SQLite (a file, no network)."""
    if connection.vendor == "sqlite":
        yield None
        return
    url = urlsplit(servers.test_database_url())
    with tcp_proxy(url.hostname or "127.0.0.1", url.port or 5432) as found:
        yield found


@pytest.fixture
def server(proxy: TcpProxy | None, tmp_path: Path) -> Iterator[Server]:
    env = dict(SERVER_ENV)
    if proxy is not None:
        url = urlsplit(servers.test_database_url())
        env["DATABASE_URL"] = url._replace(netloc=f"{url.username}@{proxy.url_host}").geturl()
    found = start_server(
        tmp_path,
        redis_prefix=None,
        name="wsgi",
        app="huddle.wsgi:application",
        interface="wsgi",
        server_args=["--blocking-threads", "1"],
        extra_env=env,
    )
    yield found
    found.stop()


@contextmanager
def database_hangs(proxy: TcpProxy | None) -> Iterator[None]:
    if proxy is not None:
        proxy.freeze()
        try:
            yield
        finally:
            proxy.heal()
        return
    # Exclusive locking mode shuts every other connection out, readers included;
    # it is refused while another connection has the file open in WAL mode, so
    # this process's own goes first (it is open still if it built the database).
    connection.close()
    with sqlite_locked("PRAGMA locking_mode=EXCLUSIVE", "BEGIN EXCLUSIVE"):
        yield


@contextmanager
def sqlite_locked(*statements: str) -> Iterator[None]:
    holder = sqlite3.connect(str(connection.settings_dict["NAME"]), isolation_level=None)
    try:
        for statement in statements:
            holder.execute(statement)
        yield
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def timed_health(server: Server) -> tuple[int, float]:
    started = time.monotonic()
    response = httpx.get(f"{server.url}/healthz", timeout=30)
    return response.status_code, time.monotonic() - started


def test_healthz_answers_503_within_a_second_while_the_database_hangs(
    server: Server, proxy: TcpProxy | None
) -> None:
    assert timed_health(server)[0] == 200
    with database_hangs(proxy):
        answers = [timed_health(server) for _ in range(3)]
    assert [status for status, _ in answers] == [503] * 3, answers
    assert max(seconds for _, seconds in answers) < HEALTH_SECONDS, answers
    # Healthy again as soon as the database answers (the hung check is let go).
    healed = time.monotonic()
    deadline = healed + 30
    while timed_health(server)[0] != 200:
        assert time.monotonic() < deadline, "healthz did not recover"
        time.sleep(0.1)  # polling the server, bounded by the deadline
    print(
        f"\ndatabase hung: healthz 503 in at most {max(s for _, s in answers):.2f} s;"
        f" 200 again {time.monotonic() - healed:.1f} s after it answered"
    )


def test_a_send_while_the_database_is_unavailable_is_503_and_its_retry_stored_once(
    world: World, server: Server, proxy: TcpProxy | None
) -> None:
    thread = start_thread(
        sender=world.admin, user_ids=[world.clinician.pk], subject="Rota", body="Start"
    )
    headers = {**sign_in(server, world.clinician), "Idempotency-Key": "reply-1"}
    url = f"{server.url}/api/v1/threads/{thread.pk}/messages"
    if proxy is not None:
        proxy.down()
        failed = httpx.post(url, headers=headers, json={"body": "Running late"}, timeout=60)
        proxy.heal()
    else:
        # A writer that holds the one write lock: the send waits out SQLite's
        # busy timeout (20 s), then "database is locked".
        with sqlite_locked("BEGIN IMMEDIATE"):
            failed = httpx.post(url, headers=headers, json={"body": "Running late"}, timeout=60)
    assert failed.status_code == 503, failed.text
    assert failed.headers["Retry-After"] == "5"
    error = failed.json()["error"]
    assert error["code"] == "unavailable"
    assert "may or may not have been saved" in error["message"]
    assert "Idempotency-Key" in error["message"]

    answers = [httpx.post(url, headers=headers, json={"body": "Running late"}, timeout=30)]
    # A pooled connection the outage broke may fail once more; the retry then holds.
    while answers[-1].status_code == 503 and len(answers) < 3:
        answers.append(httpx.post(url, headers=headers, json={"body": "Running late"}, timeout=30))
    assert answers[-1].status_code == 201, [a.text for a in answers]
    again = httpx.post(url, headers=headers, json={"body": "Running late"}, timeout=30)
    assert again.json() == answers[-1].json()
    assert Entry.objects.filter(thread=thread, body="Running late").count() == 1
