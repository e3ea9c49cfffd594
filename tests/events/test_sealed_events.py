"""Live events in Redis are sealed (AES-GCM): a Redis client subscribed to the
channel reads no message text, names or subjects; keys rotate; a message sealed
with another key, or altered, is refused (issue #19, finding 4)."""

from __future__ import annotations

import base64
import secrets
import time
from typing import Any

import pytest
import redis

from huddle.events import sealing
from huddle.messaging.actions import start_thread
from tests.conftest import World
from tests.events.conftest import bearer, call, stream
from tests.events.servers import REDIS_URL, Server


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@pytest.mark.django_db(transaction=True)
def test_a_redis_subscriber_reads_no_text_while_streams_get_the_message(
    two_servers: tuple[Server, Server], world: World
) -> None:
    first, second = two_servers
    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Casey's intake", body="Hi"
    )
    spy = redis.Redis.from_url(REDIS_URL).pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
    spy.psubscribe("test-*:events")
    body = "Casey reported panic attacks after the dose went up"
    with stream(second, bearer(world.biller)) as events:
        events.until(lambda e: e.event == "unread")
        call(
            first,
            "POST",
            f"/threads/{thread.pk}/messages",
            bearer(world.clinician),
            json={"body": body},
        )
        got = events.until(lambda e: e.event == "message")
    assert got[-1].data["message"]["body"] == body
    seen: list[bytes] = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not seen:
        message = spy.get_message(timeout=1)
        if message is not None and message["type"] == "pmessage":
            seen.append(message["data"])
    spy.close()
    assert seen, "nothing was published"
    for data in seen:
        assert data.startswith(sealing.MAGIC)
        for secret in (body.encode(), b"Cleo Clinician", b"Casey", b"panic"):
            assert secret not in data


def test_keys_rotate_and_other_keys_or_changes_are_refused(settings: Any) -> None:
    old, new = new_key(), new_key()
    settings.EVENTS_ENCRYPTION_KEYS = old
    sealed = sealing.seal(b'{"v":3}', "huddle:events")
    assert sealed[6 + sealing.NONCE_BYTES :] != b'{"v":3}'
    # The new key first, the old one still held: old messages still open.
    settings.EVENTS_ENCRYPTION_KEYS = f"{new},{old}"
    assert sealing.open_sealed(sealed, "huddle:events") == b'{"v":3}'
    assert sealing.seal(b"x", "c")[2:6] != sealed[2:6]  # now sealed with the new key
    # Another channel, a changed byte, or a key no longer held: refused.
    with pytest.raises(sealing.Unreadable):
        sealing.open_sealed(sealed, "other:events")
    altered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(sealing.Unreadable):
        sealing.open_sealed(altered, "huddle:events")
    settings.EVENTS_ENCRYPTION_KEYS = new
    with pytest.raises(sealing.Unreadable):
        sealing.open_sealed(sealed, "huddle:events")
    with pytest.raises(sealing.Unreadable):
        sealing.open_sealed(b'{"v":3,"d":[]}', "huddle:events")
