"""A thread (F5): opening marks read for the caller only, the timeline is in
order, a reply comes back to everyone; the inbox pages with a cursor."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from huddle.messaging.models import Entry, Participant
from tests.api.helpers import field_error
from tests.conftest import World
from tests.messaging.helpers import listed, sent, state_of, stored, unread


def test_opening_a_thread_marks_it_read_for_the_caller_only(world: World, api_as: Any) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller, world.scheduler])
    biller, scheduler = api_as(world.biller), api_as(world.scheduler)

    response = biller.get(f"/threads/{thread}")

    assert response.status_code == 200, response.content
    assert response.json()["unread_count"] == 0
    assert state_of(world.biller, thread).unread_count == 0
    assert state_of(world.scheduler, thread).unread_count == 1
    assert unread(biller) == 0
    assert unread(scheduler) == 1
    assert listed(scheduler)[thread]["unread_count"] == 1


def test_the_timeline_lists_messages_and_header_changes_in_order(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    thread = sent(clinician, users=[world.biller], subject="Claim", body="One")
    assert biller.post(f"/threads/{thread}/messages", {"body": "Two"}).status_code == 201
    assert biller.patch(f"/threads/{thread}", {"subject": "Claim 2231"}).status_code == 200
    assert clinician.post(f"/threads/{thread}/messages", {"body": "Three"}).status_code == 201

    body = clinician.get(f"/threads/{thread}").json()

    timeline = body["timeline"]
    assert [(e["type"], e.get("body") or e.get("to")) for e in timeline] == [
        ("message", "One"),
        ("message", "Two"),
        ("header_changed", "Claim 2231"),
        ("message", "Three"),
    ]
    assert [e["id"] for e in timeline] == [
        str(pk) for pk in Entry.objects.order_by("pk").values_list("pk", flat=True)
    ]
    times = [e.get("sent_at") or e.get("at") for e in timeline]
    assert times == sorted(times)
    assert [e["author"]["name"] for e in timeline if e["type"] == "message"] == [
        "Cleo Clinician",
        "Bill Biller",
        "Cleo Clinician",
    ]
    assert body["subject"] == "Claim 2231"
    assert body["last_message"]["snippet"] == "Three"


def test_a_reply_brings_the_thread_back_for_everyone_and_is_new_for_all_but_its_author(
    world: World, api_as: Any
) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    scheduler = api_as(world.scheduler)
    thread = sent(clinician, users=[world.biller, world.scheduler])
    assert scheduler.get(f"/threads/{thread}").status_code == 200  # read: 0 unread
    for api in (clinician, biller, scheduler):
        assert api.post(f"/threads/{thread}/archive").json()["archived"] is True
        assert thread not in listed(api)

    response = scheduler.post(f"/threads/{thread}/messages", {"body": "Done\nbilled"})

    assert response.status_code == 201, response.content
    message = response.json()
    assert message["type"] == "message"
    assert message["thread_id"] == thread
    assert message["author"] == {"id": str(world.scheduler.pk), "name": "Sky Scheduler"}
    assert message["body"] == "Done\nbilled"
    assert Entry.objects.get(pk=int(message["id"])).body == "Done\nbilled"
    for api in (clinician, biller, scheduler):
        assert thread in listed(api)
        assert listed(api, "archived") == {}
    assert {p.user_id: (p.unread_count, p.archived) for p in Participant.objects.all()} == {
        world.clinician.pk: (1, False),
        world.biller.pk: (2, False),  # never opened: the first message and the reply
        world.scheduler.pk: (0, False),
    }
    assert (unread(clinician), unread(biller), unread(scheduler)) == (1, 2, 0)
    assert listed(clinician)[thread]["last_message"]["snippet"] == "Done billed"


@pytest.mark.parametrize(("body", "status"), [("", 400), (" \n ", 400), ("x" * 10_001, 400)])
def test_an_empty_or_too_long_reply_is_refused(
    world: World, api_as: Any, body: str, status: int
) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller])
    before = stored()

    response = api_as(world.biller).post(f"/threads/{thread}/messages", {"body": body})

    field_error(response, "body", status)
    assert stored() == before


def test_a_reply_of_10000_characters_is_kept_whole(world: World, api_as: Any) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller])

    response = api_as(world.biller).post(f"/threads/{thread}/messages", {"body": "r" * 10_000})

    assert response.status_code == 201, response.content
    assert Entry.objects.get(pk=int(response.json()["id"])).body == "r" * 10_000


def test_the_cursor_walks_every_thread_once_newest_first(world: World, api_as: Any) -> None:
    clinician = api_as(world.clinician)
    threads = [sent(clinician, users=[world.biller], subject=f"T{i}") for i in range(7)]
    biller = api_as(world.biller)

    seen: list[str] = []
    pages = 0
    path = "/threads?view=practice&folder=inbox&limit=2"
    cursor: str | None = None
    while True:
        response = biller.get(path + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.content
        page = response.json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == list(reversed(threads))
    assert pages == 4
    assert (
        Participant.objects.filter(user=world.biller, unread_count=1).count() == 7
    )  # lists don't read


def cursor_of(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        "%00",
        cursor_of([1, 2]),
        cursor_of({"a": 1}),
        cursor_of(["2026-01-01T00:00:00", 5]),  # no UTC offset
        cursor_of(["2026-01-01T00:00:00+00:00", "5"]),
        cursor_of(["9999-12-31T23:59:59-14:00", 5]),  # past year 9999 in UTC
        cursor_of(["0001-01-01T00:00:00+14:00", 5]),  # before year 1 in UTC
        cursor_of(["2026-01-01T00:00:00+00:00", 10**30]),
        cursor_of(["2026-01-01T00:00:00+00:00", -1]),
        base64.urlsafe_b64encode(b"[" * 5000 + b"]" * 5000).decode(),
    ],
)
def test_a_forged_cursor_is_a_400_naming_it(world: World, api_as: Any, cursor: str) -> None:
    sent(api_as(world.clinician), users=[world.biller])

    response = api_as(world.biller).get(f"/threads?cursor={cursor}")

    field_error(response, "cursor")


@pytest.mark.parametrize(
    ("limit", "status"),
    [
        ("1", 200),
        ("200", 200),
        ("0", 400),
        ("201", 400),
        ("-1", 400),
        ("ten", 400),
        ("99999999999999999999999", 400),
    ],
)
def test_the_limit_is_between_1_and_200(world: World, api_as: Any, limit: str, status: int) -> None:
    sent(api_as(world.clinician), users=[world.biller])

    response = api_as(world.biller).get(f"/threads?limit={limit}")

    if status == 200:
        assert response.status_code == 200, response.content
        assert len(response.json()["items"]) == 1
    else:
        field_error(response, "limit")


@pytest.mark.parametrize(
    ("query", "field"),
    [("view=staff", "view"), ("view=", "view"), ("folder=trash", "folder"), ("folder=", "folder")],
)
def test_the_view_and_folder_are_checked(world: World, api_as: Any, query: str, field: str) -> None:
    response = api_as(world.biller).get(f"/threads?{query}")

    field_error(response, field)
