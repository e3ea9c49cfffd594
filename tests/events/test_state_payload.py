"""The `thread_state` event is built without the API schema (it is built once per
participant after every message), so it must say exactly what the API says."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from huddle.events import sse
from huddle.messaging import live
from huddle.messaging.actions import archive, start_thread
from huddle.messaging.models import Participant
from huddle.messaging.queries import is_archived
from huddle.messaging.schemas import state_out
from tests.conftest import World


@pytest.mark.django_db
def test_thread_state_events_say_what_the_api_says(world: World) -> None:
    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="One"
    )
    archive(participation=Participant.objects.get(thread=thread, user=world.clinician))
    cutoff = timezone.now() - timedelta(days=30)
    rows = list(Participant.objects.filter(thread=thread))
    assert {r.archived for r in rows} == {True, False}
    for row in rows:
        event = live.thread_state(
            row.thread_id,
            archived=is_archived(row, cutoff),
            deleted=row.deleted,
            unread=row.unread_count,
        )
        assert event == state_out(row, cutoff).model_dump()
        assert list(event) == list(state_out(row, cutoff).model_dump())  # sse writes them in order
    assert event["thread_id"] == str(thread.pk)


@pytest.mark.parametrize(
    ("event", "data"),
    [
        (
            "thread_state",
            {"thread_id": "12", "archived": True, "deleted": False, "unread_count": 3},
        ),
        ("thread_state", {"thread_id": "7", "archived": False, "deleted": True, "unread_count": 0}),
        ("thread_state", {"thread_id": "7", "deleted": True, "archived": False, "unread_count": 0}),
        ("thread_state", {"thread_id": 'x"y', "archived": 1, "deleted": True, "unread_count": 0}),
        ("unread", {"practice": 0, "clients": 12}),
        ("unread", {"clients": 12, "practice": 0}),
        ("unread", {"practice": True, "clients": 1.5}),
        ("message", {"thread_id": "1", "message": {"body": 'Hé\n"x"', "sent_at": timezone.now()}}),
    ],
)
def test_events_are_written_as_the_json_encoder_writes_them(event: str, data: Any) -> None:
    """`thread_state` and `unread` are written out directly (2N of them after a
    message to N people): the very text the encoder writes, whatever the dict."""
    encoded = json.dumps(data, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)
    assert sse.body(event, data) == f"event: {event}\ndata: {encoded}\n\n".encode()


def _deliveries() -> list[sse.Delivery]:
    message = {"thread_id": "5", "message": {"id": "9", "body": "Hi"}}
    return [
        sse.Delivery((1, 2, 3), 9, "message", message),
        *(
            sse.Delivery((u,), None, "thread_state", {**STATE, "unread_count": u})
            for u in (1, 2, 3)
        ),
        *(sse.Delivery((u,), None, "unread", {"practice": u, "clients": 0}) for u in (1, 2, 3)),
    ]


STATE = {"thread_id": "5", "archived": False, "deleted": False, "unread_count": 0}


def test_the_published_message_carries_every_event_as_its_stream_writes_it() -> None:
    deliveries = _deliveries()
    frames = sse.decode(sse.encode(deliveries))
    assert [(f.users, f.id, f.text) for f in frames] == [
        (list(d.users), d.id, d.text()) for d in deliveries
    ]


def test_a_stream_process_renders_per_person_events_only_for_people_it_serves() -> None:
    """A message to N people holds 2N one-person events as bare values; a process
    renders those of its own users and the shared ones, nothing else."""
    raw = sse.encode(_deliveries())
    assert json.loads(raw)["t"] == [
        [1, "5", False, False, 1],
        [2, "5", False, False, 2],
        [3, "5", False, False, 3],
    ]

    frames = sse.decode(raw, serves={2}.__contains__)

    assert [(f.users, f.text.split("\n")[0]) for f in frames] == [
        ([1, 2, 3], "event: message"),
        ([2], "event: thread_state"),
        ([2], "event: unread"),
    ]


def test_events_in_another_order_travel_as_text_in_that_order() -> None:
    state = sse.Delivery((1,), None, "thread_state", STATE)
    message = sse.Delivery((1,), 9, "message", {"thread_id": "5"})
    frames = sse.decode(sse.encode([state, message]))
    assert [f.text.split("\n")[0] for f in frames] == ["event: thread_state", "event: message"]


@pytest.mark.django_db
def test_message_and_header_events_say_what_the_api_says(world: World) -> None:
    """`entry_event` is built without the API schema (once per message, in the
    sending request), so it must say what `entry_out` says."""
    from huddle.messaging.actions import edit_header
    from huddle.messaging.models import Entry
    from huddle.messaging.schemas import entry_out

    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="Hé\n<b>"
    )
    mine = Participant.objects.get(thread=thread, user=world.clinician)
    edit_header(editor=world.clinician, participation=mine, subject="Claims, May")
    message, header = Entry.objects.filter(thread=thread).select_related("author").order_by("id")

    event, data = live.entry_event(message)
    out = entry_out(message).model_dump(by_alias=True)
    assert event == "message"
    assert data == {
        "thread_id": out["thread_id"],
        "message": {k: out[k] for k in ("id", "author", "body", "sent_at")},
    }
    event, data = live.entry_event(header)
    out = entry_out(header).model_dump(by_alias=True)
    assert event == "header_changed"
    assert data == {k: out[k] for k in ("thread_id", "id", "by", "from", "to", "at")}
