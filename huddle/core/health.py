"""What `/healthz` checks, for the web process and the events process alike
(docs/RELIABILITY.md, "Health checks").

- The database answers `SELECT 1` within `DATABASE_SECONDS`. The check runs in
  a thread of its own with its own connection, so a database that hangs (a
  frozen server, a dead network path) gives 503 within that time instead of a
  health check that hangs with it. Health checks that come while one is under
  way wait for that one's answer (within the same time) instead of starting
  their own, so a hung database never piles up threads, and concurrent checks
  of a healthy one all answer 200.
- On SQLite, the write-ahead log: when checkpoints cannot copy it back into
  the database file (a reader that never ends, a full disk), the WAL grows
  with every message. Once the log is larger than `SQLITE_WAL_ALERT_BYTES`,
  the check runs a passive checkpoint (which helps) and, if what is still not
  copied back passes that size, reports unhealthy, long before the disk is full.
- Redis, when configured, is reported (`ok`, `unavailable`) but sending does
  not depend on it (core.redis), so it does not fail the web process's check;
  the events process passes `bus_ready` and fails without its subscription.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.db import DatabaseError, connection

from huddle.core import redis as core_redis

logger = logging.getLogger(__name__)

DATABASE_SECONDS = 1.0


@dataclass
class Probe:
    answered: bool = False
    # SQLite: the write-ahead log's size, and how much of it checkpoints have
    # not yet copied back into the database file.
    wal_bytes: int | None = None
    wal_backlog_bytes: int | None = None


@dataclass
class _Check:
    """One check under way, which every health check meanwhile waits for."""

    probe: Probe = field(default_factory=Probe)
    answered: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)


_lock = threading.Lock()
_running: _Check | None = None


def _wal_file_bytes() -> int:
    name = str(connection.settings_dict["NAME"])  # the test database under tests
    try:
        return Path(f"{name}-wal").stat().st_size
    except FileNotFoundError:
        return 0


def _sqlite_wal(cursor: Any, probe: Probe) -> None:
    """The log's size; when it is past the alert size, a passive checkpoint (it
    never waits for writers or readers, and copies back what it can) says how
    many of its frames are not yet in the database file."""
    probe.wal_bytes = _wal_file_bytes()
    if probe.wal_bytes <= settings.SQLITE_WAL_ALERT_BYTES:
        return  # whatever is not copied back, it is less than this
    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    _busy, log_frames, done_frames = cursor.fetchone()
    cursor.execute("PRAGMA page_size")
    (page_size,) = cursor.fetchone()
    probe.wal_backlog_bytes = max(int(log_frames) - int(done_frames), 0) * int(page_size)


def _check(check: _Check) -> None:
    """The check itself, in its own thread with its own connection."""
    global _running
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
            check.probe.answered = True
            check.answered.set()
            if connection.vendor == "sqlite":
                _sqlite_wal(cursor, check.probe)
    except DatabaseError:
        pass
    finally:
        with contextlib.suppress(DatabaseError):  # a broken one is thrown away
            connection.close()
        with _lock:
            _running = None
        check.answered.set()
        check.finished.set()


def _under_way() -> _Check:
    """The check under way, started now if there is none."""
    global _running
    with _lock:
        if _running is None:
            _running = _Check()
            thread = threading.Thread(
                target=_check, args=(_running,), name="healthz-database", daemon=True
            )
            thread.start()
        return _running


def probe_database(timeout: float = DATABASE_SECONDS) -> Probe:
    """Whether the database answers `SELECT 1` within `timeout` seconds (and, on
    SQLite, the state of its log, given as long again: a checkpoint does work)."""
    check = _under_way()
    if not check.answered.wait(timeout) or not check.probe.answered:
        return Probe()
    if not check.finished.wait(timeout):
        return Probe(answered=True, wal_bytes=check.probe.wal_bytes)  # still checkpointing
    return check.probe


def redis_state() -> str:
    """`off` without REDIS_URL, else `ok` or `unavailable` (one PING, short timeout)."""
    if not settings.REDIS_URL:
        return "off"
    if not core_redis.usable():
        return "unavailable"
    try:
        core_redis.client(settings.REDIS_URL).ping()
    except redis.RedisError as exc:
        core_redis.failed("the health check", exc)
        return "unavailable"
    return "ok"


def report(*, bus_ready: bool | None = None) -> tuple[int, dict[str, Any]]:
    """The status code and body of `/healthz`."""
    probe = probe_database()
    checks: dict[str, Any] = {"database": "ok" if probe.answered else "unavailable"}
    healthy = probe.answered
    if probe.wal_bytes is not None:
        checks["sqlite_wal_bytes"] = probe.wal_bytes
    if probe.wal_backlog_bytes is not None:
        checks["sqlite_wal_backlog_bytes"] = probe.wal_backlog_bytes
        if probe.wal_backlog_bytes > settings.SQLITE_WAL_ALERT_BYTES:
            checks["sqlite_wal"] = "checkpoints are not keeping up"
            healthy = False
    checks["redis"] = redis_state()
    if bus_ready is not None:
        checks["event_bus"] = "ok" if bus_ready else "unavailable"
        healthy = healthy and bus_ready
    if not healthy:
        logger.warning("healthz: unhealthy %s", checks)
    return (200 if healthy else 503), {"status": "ok" if healthy else "unavailable", **checks}
