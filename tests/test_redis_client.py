"""The one Redis client per process (huddle/core/redis.py) that the send rate limit
and live events use: a connection the server dropped costs no send."""

from __future__ import annotations

import secrets

import redis

from huddle.core.redis import client

URL = "redis://127.0.0.1:6379/0"


def test_a_connection_dropped_by_the_server_is_opened_again() -> None:
    shared = client(URL)
    key = f"huddle-test:{secrets.token_hex(6)}"
    try:
        assert shared.incr(key) == 1
        ours = shared.client_id()
        assert redis.Redis.from_url(URL).client_kill_filter(_id=str(ours)) == 1

        assert shared.incr(key) == 2  # reconnected and counted once more
        assert shared.publish(f"{key}:channel", b"still works") == 0
    finally:
        redis.Redis.from_url(URL).delete(key)


def test_each_address_has_one_client_for_the_process() -> None:
    assert client(URL) is client(URL)
