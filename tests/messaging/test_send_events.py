"""The send path, pinned: the exact live events a new thread, a reply, a read, a
header change and a delete send, to whom, and the exact statements of starting
a thread and of a reply through the API (after-commit work included)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from huddle.messaging.actions import delete_for_user, edit_header, mark_read, reply, start_thread
from huddle.messaging.models import Entry, Participant, Thread
from tests.conftest import Sent, World

# Statements of POST /api/v1/threads and of a reply, as a server process that
# serves streams runs them: the token, the checks, the transaction (thread,
# entry, search index, participants, notification outbox, audit, away notices),
# then the after-commit read of who hears of it, and the answer's own reads.
# PostgreSQL locks the thread's row for a reply (SELECT ... FOR UPDATE); SQLite's
# one writer needs no lock.
START_THREAD_STATEMENTS = 14
REPLY_STATEMENTS = 13
REPLY_LOCK = {"postgresql": 1, "sqlite": 0}


def _message(entry: Entry) -> dict[str, Any]:
    return {
        "thread_id": str(entry.thread_id),
        "message": {
            "id": str(entry.pk),
            "author": {"id": str(entry.author.pk), "name": entry.author.name},
            "body": entry.body,
            "sent_at": entry.created_at,
        },
    }


def _state(thread: Thread, unread: int, *, deleted: bool = False) -> dict[str, Any]:
    return {
        "thread_id": str(thread.pk),
        "archived": False,
        "deleted": deleted,
        "unread_count": unread,
    }


def _three_way(world: World, subject: str, body: str) -> tuple[Thread, dict[str, Participant]]:
    """A thread the clinician starts with the biller and the scheduler, and each
    one's place on it by role."""
    thread = start_thread(
        sender=world.clinician,
        user_ids=[world.biller.pk, world.scheduler.pk],
        subject=subject,
        body=body,
    )
    places = Participant.objects.select_related("user").filter(thread=thread)
    by_user = {place.user_id: place for place in places}
    return thread, {
        "clinician": by_user[world.clinician.pk],
        "biller": by_user[world.biller.pk],
        "scheduler": by_user[world.scheduler.pk],
    }


@pytest.mark.django_db
def test_a_new_thread_sends_the_message_to_everyone_and_each_their_own_state(
    world: World, capture_events: Any
) -> None:
    with capture_events() as sent:
        thread = start_thread(
            sender=world.clinician,
            user_ids=[world.biller.pk, world.scheduler.pk],
            subject="Claims",
            body="The May claim was denied.",
        )
    entry = Entry.objects.select_related("author").get(thread=thread)
    everyone = frozenset({world.clinician.pk, world.biller.pk, world.scheduler.pk})
    me = world.clinician.pk
    assert sent == [
        Sent("message", everyone, _message(entry)),
        *(
            Sent("thread_state", frozenset({pk}), _state(thread, 0 if pk == me else 1))
            for pk in sorted(everyone)
        ),
        *(
            Sent("unread", frozenset({pk}), {"practice": 0 if pk == me else 1, "clients": 0})
            for pk in sorted(everyone)
        ),
    ]


@pytest.mark.django_db
def test_a_reply_reaches_those_who_have_not_deleted_it_and_a_read_only_the_other_staff(
    world: World, capture_events: Any
) -> None:
    thread, places = _three_way(world, "Claims", "One")
    mine, bills, sams = places["clinician"], places["biller"], places["scheduler"]

    with capture_events() as sent:
        delete_for_user(participation=sams)
    assert [(s.event, s.users) for s in sent] == [
        ("thread_state", frozenset({world.scheduler.pk})),
        ("unread", frozenset({world.scheduler.pk})),
    ]
    assert sent[0].data == _state(thread, 0, deleted=True)

    with capture_events() as sent:
        edit_header(editor=world.clinician, participation=mine, subject="Claims, May")
    [header] = sent
    assert header.event == "header_changed"
    assert header.users == {world.clinician.pk, world.biller.pk}  # not who deleted it
    assert (header.data["from"], header.data["to"]) == ("Claims", "Claims, May")

    with capture_events() as sent:
        mark_read(participation=bills)
    assert [(s.event, s.users) for s in sent] == [
        ("read", frozenset({world.clinician.pk})),  # the other staff still on it
        ("thread_state", frozenset({world.biller.pk})),
        ("unread", frozenset({world.biller.pk})),
    ]
    assert sent[0].data["user"] == {"id": str(world.biller.pk), "name": world.biller.name}

    with capture_events() as sent:
        two = reply(author=world.biller, participation=bills, body="Resubmitting today.")
    everyone = frozenset({world.clinician.pk, world.biller.pk, world.scheduler.pk})
    assert sent[0] == Sent("message", everyone, _message(two))  # a reply brings it back
    states = {next(iter(s.users)): s.data for s in sent if s.event == "thread_state"}
    assert states == {
        world.clinician.pk: _state(thread, 1),
        world.biller.pk: _state(thread, 0),
        world.scheduler.pk: _state(thread, 1),  # its delete had cleared the count
    }
    totals = {next(iter(s.users)): s.data for s in sent if s.event == "unread"}
    assert totals == {
        world.clinician.pk: {"practice": 1, "clients": 0},
        world.biller.pk: {"practice": 0, "clients": 0},
        world.scheduler.pk: {"practice": 1, "clients": 0},
    }
    assert len(sent) == 7


@pytest.mark.django_db
def test_an_outsider_and_a_deactivated_colleague_hear_nothing(
    world: World, capture_events: Any
) -> None:
    _, places = _three_way(world, "Rota", "Friday?")
    world.scheduler.is_active = False
    world.scheduler.save(update_fields=["is_active"])
    mine = places["clinician"]
    with capture_events() as sent:
        reply(author=world.clinician, participation=mine, body="Or Monday?")
    heard = frozenset().union(*(s.users for s in sent))
    assert heard == {world.clinician.pk, world.biller.pk}
    assert world.outsider_clinician.pk not in heard


@pytest.mark.django_db
def test_starting_a_thread_and_replying_cost_exact_statements(
    world: World, api_as: Any, capture_events: Any, django_assert_num_queries: Any
) -> None:
    api = api_as(world.clinician)
    body = {"subject": "Claims", "body": "One", "recipients": {"users": [str(world.biller.pk)]}}
    api.get("/threads")  # the token's first use writes its last-used time
    with django_assert_num_queries(START_THREAD_STATEMENTS), capture_events():
        started = api.post("/threads", body)
    assert started.status_code == 201, started.content
    with (
        django_assert_num_queries(REPLY_STATEMENTS + REPLY_LOCK[connection.vendor]),
        capture_events(),
    ):
        replied = api.post(f"/threads/{started.json()['id']}/messages", {"body": "Two"})
    assert replied.status_code == 201, replied.content
