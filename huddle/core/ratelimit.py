"""Per-user limits on sending: so many messages, new threads and other writes a
minute; and sign-ins per client address.

Counts live in Django's cache, in fixed one-minute windows: the key names the
user and the window, so a count needs no reset and expires by itself. With
Redis (REDIS_URL) every server process counts in the same place, in one round
trip per send; without it the count is this process's (the single-process
default). A limit of 0 turns it off.

When Redis fails or is paused (core.redis: a short timeout, then left alone a
few seconds) the count falls back to this process's memory: sending never
waits for Redis or fails because of it, and the limit still holds per process
meanwhile (docs/RELIABILITY.md, "Redis down or frozen").
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis import RedisError

from huddle.core import redis
from huddle.core.errors import RateLimited

WINDOW_SECONDS = 60
# Where counts go while Redis is unavailable.
_FALLBACK = LocMemCache("huddle-ratelimit-fallback", {"MAX_ENTRIES": 10_000})


def _count(key: str) -> int:
    """Add one to `key`'s count and say the new count."""
    cache = caches["default"]
    if isinstance(cache, RedisCache) and settings.REDIS_URL:
        if redis.usable():
            name = cache.make_and_validate_key(key)
            # Django's RedisCache.incr asks whether the key exists first (two round
            # trips, and it refuses a missing key). A bare INCR is one; the first
            # count of a window also sets its expiry, which outlives the window by
            # a little: the key names its window, so a later window never reads an
            # old count. The client is the process's one (core.redis).
            try:
                # A single-connection client connects when it is made: inside the try.
                client = redis.client(settings.REDIS_URL)
                count = int(client.incr(name))
                if count == 1:
                    client.expire(name, WINDOW_SECONDS + 5)
                return count
            except RedisError as exc:
                redis.failed("the send rate limit", exc)
        cache = _FALLBACK  # Redis is down or frozen: count in this process
    # An in-process cache (LocMemCache): add and incr each take its lock.
    cache.add(key, 0, WINDOW_SECONDS + 5)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS + 5)
        return 1


WHAT = {"threads": "new threads", "writes": "changes", "sign_ins": "sign-ins"}


def hit(user: AbstractBaseUser, *, scope: str, limit: int, now: float | None = None) -> None:
    """Count one `scope` for `user`; RateLimited once the minute's count passes
    `limit`, with the seconds until the window ends."""
    hit_key(f"{scope}:{user.pk}", scope=scope, limit=limit, now=now)


def hit_key(name: str, *, scope: str, limit: int, now: float | None = None) -> None:
    """`hit` for any counted thing (`name` says whose: a user, an address)."""
    if limit <= 0:
        return
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    if _count(f"ratelimit:{name}:{window}") <= limit:
        return
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    what = WHAT.get(scope, "messages")
    verb = "made" if scope in WHAT and scope != "threads" else "sent"
    wait = "1 second" if retry_after == 1 else f"{retry_after} seconds"
    again = "try again" if verb == "made" else "send again"
    raise RateLimited(
        f"You have {verb} more than {limit} {what} in a minute. Wait {wait}, then {again}.",
        retry_after=retry_after,
    )


def check_message(user: AbstractBaseUser) -> None:
    """Count a reply, before it is stored."""
    hit(user, scope="messages", limit=settings.RATE_LIMIT_MESSAGES_PER_MINUTE)


def check_new_thread(user: AbstractBaseUser) -> None:
    """Count a new thread (with its first message), before it is stored."""
    hit(user, scope="threads", limit=settings.RATE_LIMIT_THREADS_PER_MINUTE)


def check_write(user: AbstractBaseUser) -> None:
    """Count one write that tells others or writes an audit row (a header edit,
    an archive toggle, a deletion, an administrator's change): one budget per
    user for all of them, before the write (docs/SECURITY.md)."""
    hit(user, scope="writes", limit=settings.RATE_LIMIT_WRITES_PER_MINUTE)


def check_sign_in(address: str | None) -> None:
    """Count one sign-in or token request from `address`, whether it succeeds or
    not (failures have their own, hourly, limit: huddle/throttle)."""
    if address:
        hit_key(
            f"signin:{address}", scope="sign_ins", limit=settings.RATE_LIMIT_SIGN_INS_PER_MINUTE
        )
