"""One Redis client per process and URL (its pool is thread-safe).

Django's cache makes a new client object on every call; the paths that touch
Redis on every message (the send rate limit, publishing live events) share this
one instead.
"""

from __future__ import annotations

from functools import cache

import redis


@cache
def client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
