"""Live events of the conversation features, published through real Redis after
the commit: `read` to the thread's other staff, `message_edited` to everyone on
it, `acknowledged` to its staff, `urgent_unacknowledged` to the alerted people."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import redis
from django.utils import timezone

from huddle.events import sealing, sse
from huddle.events.broker import channel_name
from huddle.messaging import actions, edits, sending, urgent, worker_steps
from tests.conftest import World
from tests.conversation.helpers import first_message, participation, staff_thread

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def published(settings: Any) -> Iterator[Callable[[str], list[tuple[list[int], dict[str, Any]]]]]:
    """`published(event)`: the deliveries of that event type seen on the channel."""
    settings.REDIS_URL = REDIS
    settings.EVENTS_CHANNEL_PREFIX = f"huddle_conversation_{uuid.uuid4().hex[:8]}"
    listener = redis.Redis.from_url(REDIS).pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
    listener.subscribe(channel_name())
    seen: list[sse.Frame] = []

    def wait_for(event: str) -> list[tuple[list[int], dict[str, Any]]]:
        deadline = timezone.now() + timedelta(seconds=10)
        while timezone.now() < deadline:
            found = [f for f in seen if f.text.startswith(f"event: {event}\n")]
            if found:
                return [(f.users, json.loads(f.text.split("data: ", 1)[1])) for f in found]
            message = listener.get_message(timeout=1.0)
            if message is not None:
                # Payloads travel sealed (AES-GCM, events/sealing.py): open them as
                # the stream process does.
                plain = sealing.open_sealed(message["data"], channel_name())
                seen.extend(sse.decode(plain))
        return []

    yield wait_for
    listener.close()


def test_read_goes_to_the_other_staff(
    world: World, published: Any, django_capture_on_commit_callbacks: Any
) -> None:
    thread = staff_thread(world)
    with django_capture_on_commit_callbacks(execute=True):
        actions.mark_read(participation=participation(world.biller, thread))
    [(users, data)] = published("read")
    assert sorted(users) == sorted([world.clinician.pk, world.scheduler.pk])
    assert data["user"] == {"id": str(world.biller.pk), "name": world.biller.name}
    assert data["read_up_to"] == str(thread.last_message_id)


def test_message_edited_goes_to_everyone_on_the_thread(
    world: World, published: Any, django_capture_on_commit_callbacks: Any
) -> None:
    thread = staff_thread(world)
    entry = first_message(thread)
    with django_capture_on_commit_callbacks(execute=True):
        edits.edit_message(editor=world.clinician, entry_id=entry.pk, body="Room 5 today")
    [(users, data)] = published("message_edited")
    assert sorted(users) == sorted([world.clinician.pk, world.biller.pk, world.scheduler.pk])
    assert data["message"]["body"] == "Room 5 today"
    assert data["message"]["removed"] is False


def test_acknowledged_and_escalation_events(
    world: World, published: Any, django_capture_on_commit_callbacks: Any
) -> None:
    thread = staff_thread(world)
    with django_capture_on_commit_callbacks(execute=True):
        entry = sending.send_reply(
            author=world.clinician,
            participation=participation(world.clinician, thread),
            body="Now please",
            is_urgent=True,
        )
    with django_capture_on_commit_callbacks(execute=True):
        urgent.acknowledge(user=world.biller, entry_id=entry.pk)
    [(users, data)] = published("acknowledged")
    assert world.clinician.pk in users
    assert data["message_id"] == str(entry.pk)
    with django_capture_on_commit_callbacks(execute=True):
        worker_steps.escalate_due(timezone.now() + timedelta(minutes=20))
    [(users, data)] = published("urgent_unacknowledged")
    assert users == [world.clinician.pk]  # nobody supervises the scheduler's location
    assert [p["id"] for p in data["awaiting"]] == [str(world.scheduler.pk)]
