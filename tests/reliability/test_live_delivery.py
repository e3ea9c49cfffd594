"""Live delivery when the publish after a commit is lost or late (issue #20,
defect 4), against a real stream process on Redis.

The messages here are written by this test process, which has no Redis and
publishes nothing: exactly what a server does that dies between COMMIT and
PUBLISH. Where a test publishes, it does so by hand on the server's channel,
late or twice, as a slow or retried publisher would."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from huddle.events.sealing import seal
from huddle.events.sse import Delivery, encode
from huddle.messaging import live
from huddle.messaging.actions import reply, start_thread
from huddle.messaging.models import Entry, Participant, Thread
from tests.conftest import World
from tests.events.conftest import bearer, stream
from tests.events.servers import REDIS_URL, Server, random_prefix, start_server

pytestmark = pytest.mark.django_db(transaction=True)

SWEEP_SECONDS = 1


@pytest.fixture
def prefix() -> str:
    return random_prefix()


@pytest.fixture
def server(prefix: str, tmp_path: Path) -> Iterator[Server]:
    found = start_server(
        tmp_path,
        redis_prefix=prefix,
        name="events",
        app="huddle.asgi_events:application",
        extra_env={"EVENTS_SWEEP_SECONDS": str(SWEEP_SECONDS)},
    )
    yield found
    found.stop()


def unpublished_reply(thread: Thread, author_id: int, body: str) -> Entry:
    participation = Participant.objects.select_related("user").get(thread=thread, user_id=author_id)
    return reply(author=participation.user, participation=participation, body=body)


def publish(prefix: str, entry: Entry, user_ids: list[int]) -> None:
    entry = Entry.objects.select_related("author").get(pk=entry.pk)
    event, data = live.entry_event(entry)
    raw = encode([Delivery(tuple(user_ids), entry.pk, event, data)])
    channel = f"{prefix}:events"
    redis.Redis.from_url(REDIS_URL).publish(channel, seal(raw, channel))


def is_message(entry: Entry) -> Any:
    return lambda e: e.event == "message" and e.data["message"]["id"] == str(entry.pk)


def messages(seen: list[Any]) -> list[str]:
    return [e.data["message"]["id"] for e in seen if e.event == "message"]


def test_a_message_whose_publish_was_lost_reaches_open_streams_once(
    world: World, server: Server, prefix: str
) -> None:
    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="Hello"
    )
    with stream(server, bearer(world.biller)) as events:
        events.until(lambda e: e.event == "unread")
        lost = unpublished_reply(thread, world.clinician.pk, "Never published")
        committed = time.monotonic()
        seen = events.until(is_message(lost), timeout=15)
        delay = time.monotonic() - committed
        # Its unread count follows it, as after a published message.
        seen += events.until(lambda e: e.event == "unread")
        assert seen[-1].data == {"practice": 2, "clients": 0}
        # The publish comes after all (a slow publisher), and a later message
        # arrives as usual: the lost one is not sent a second time.
        publish(prefix, lost, [world.biller.pk])
        later = unpublished_reply(thread, world.clinician.pk, "Published")
        publish(prefix, later, [world.biller.pk])
        seen += events.until(is_message(later))
        seen += events.until_keepalive()
    assert messages(seen) == [str(lost.pk), str(later.pk)]
    [found] = [e for e in seen if is_message(lost)(e)]
    assert found.id == str(lost.pk)
    assert found.data["message"]["body"] == "Never published"
    assert delay < 4 * SWEEP_SECONDS + 5, delay  # sweeps 1 s apart, on a busy machine
    print(f"\nlost publish delivered by the sweep after {delay:.1f} s")


def test_a_resume_after_an_out_of_order_commit_gets_the_earlier_entry(
    world: World, server: Server, prefix: str
) -> None:
    thread = start_thread(
        sender=world.clinician,
        user_ids=[world.biller.pk, world.admin.pk],
        subject="Claims",
        body="Hello",
    )
    biller = bearer(world.biller)
    with stream(server, bearer(world.admin)) as watcher:
        watcher.until(lambda e: e.event == "unread")
        with stream(server, biller) as events:
            events.until(lambda e: e.event == "unread")
            # Two writers: the first took the lower id, the second committed
            # and published first.
            early = unpublished_reply(thread, world.clinician.pk, "Took its id first")
            late = unpublished_reply(thread, world.admin.pk, "Committed first")
            publish(prefix, late, [world.biller.pk, world.admin.pk])
            [got] = [e for e in events.until(is_message(late)) if e.event == "message"]
            assert got.id == str(late.pk)
        # The biller has left, with Last-Event-ID = late; the early one arrives now.
        publish(prefix, early, [world.biller.pk, world.admin.pk])
        watcher.until(is_message(early))  # the process has it
    with stream(server, biller, last_event_id=late.pk) as events:
        seen = events.until(lambda e: e.event == "unread")
    assert messages(seen) == [str(early.pk)]
    assert early.pk < late.pk
