"""One Redis client per process and URL (its pool is thread-safe).

Django's cache makes a new client object on every call; the paths that touch
Redis on every message (the send rate limit, publishing live events) share this
one instead.
"""

from __future__ import annotations

from functools import cache

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry


@cache
def client(url: str) -> redis.Redis:
    """One connection, not a pool: a pool checks for a fork (a system call) and
    takes a lock twice per command, a few per cent of a send's CPU. The client's
    own lock keeps the connection to one thread at a time. A connection the server
    dropped (a Redis restart) is opened again and the command sent once more."""
    return redis.Redis.from_url(
        url,
        socket_timeout=5,
        socket_connect_timeout=5,
        single_connection_client=True,
        retry=Retry(NoBackoff(), 1),
        retry_on_error=[redis.ConnectionError],
    )
