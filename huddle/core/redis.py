"""One Redis client per process and URL (its pool is thread-safe), and whether
Redis is worth asking right now.

Django's cache makes a new client object on every call; the paths that touch
Redis on every message (the send rate limit, publishing live events) share this
one instead.

Sending never depends on Redis (docs/RELIABILITY.md): every command has a short
timeout (`TIMEOUT_SECONDS`), and after a failure the process leaves Redis alone
for `PAUSE_SECONDS` (`usable()` is False), so a frozen or unreachable Redis
costs one request at most one timeout per pause, not every request its own.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import cache

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# A command on a healthy Redis takes well under a millisecond, even on a busy machine.
TIMEOUT_SECONDS = 0.5
PAUSE_SECONDS = 5.0

_lock = threading.Lock()
_paused_until = 0.0


@cache
def client(url: str) -> redis.Redis:
    """One connection, not a pool: a pool checks for a fork (a system call) and
    takes a lock twice per command, a few per cent of a send's CPU. The client's
    own lock keeps the connection to one thread at a time. A connection the server
    dropped (a Redis restart) is opened again and the command sent once more; a
    timeout is not retried (a frozen Redis would cost twice the timeout).
    `rediss://` URLs connect over TLS (redis-py's SSL connection)."""
    return redis.Redis.from_url(
        url,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
        single_connection_client=True,
        retry=Retry(NoBackoff(), 1, supported_errors=(redis.ConnectionError,)),
    )


def usable() -> bool:
    """False for PAUSE_SECONDS after a failure: callers take their fallback."""
    return time.monotonic() >= _paused_until


def failed(what: str, exc: Exception) -> None:
    """Note a failed command: Redis is left alone for PAUSE_SECONDS."""
    global _paused_until
    with _lock:
        first = time.monotonic() >= _paused_until
        _paused_until = time.monotonic() + PAUSE_SECONDS
    if first:
        logger.warning(
            "redis: %s failed (%s); not using Redis for %.0f s",
            what,
            type(exc).__name__,
            PAUSE_SECONDS,
        )
