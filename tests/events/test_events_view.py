"""GET /api/v1/events when Django answers it (WSGI, the test client): the same
opening as the stream, then the response ends; and what publishing sends to whom."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as HttpClient

from huddle.events import publish
from huddle.events.sse import Delivery
from huddle.messaging.actions import delete_for_user, edit_header, reply, start_thread
from huddle.messaging.models import Participant
from tests.conftest import World
from tests.events.servers import Event


def events_of(response: Any) -> list[Event]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    found = []
    for block in response.content.decode().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            found.append(Event(fields["event"], json.loads(fields["data"]), fields.get("id")))
    return found


@pytest.mark.django_db
def test_the_opening_replays_what_the_reader_may_see_after_last_event_id(
    world: World, api_as: Any
) -> None:
    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="One"
    )
    cleo = Participant.objects.get(thread=thread, user=world.clinician)
    first = thread.last_message_id
    two = reply(author=world.clinician, participation=cleo, body="Two")
    bill = api_as(world.biller)
    bill.headers["Last-Event-ID"] = str(first)
    seen = events_of(bill.get("/events"))
    assert [(e.event, e.id) for e in seen] == [("message", str(two.pk)), ("unread", str(two.pk))]

    outsider = api_as(world.outsider_clinician)
    outsider.headers["Last-Event-ID"] = "0"
    assert [e.event for e in events_of(outsider.get("/events"))] == ["unread"]

    # Deleted: nothing more of it, not even a header change, until a reply.
    delete_for_user(participation=Participant.objects.get(thread=thread, user=world.biller))
    notice = edit_header(editor=world.clinician, participation=cleo, subject="Claims Q3")
    bill.headers["Last-Event-ID"] = str(two.pk)
    assert [e.event for e in events_of(bill.get("/events"))] == ["unread"]
    three = reply(author=world.clinician, participation=cleo, body="Three")
    seen = events_of(bill.get("/events"))
    assert [(e.event, e.id) for e in seen] == [
        ("header_changed", str(notice.pk)),
        ("message", str(three.pk)),
        ("unread", str(three.pk)),
    ]


@pytest.mark.django_db
def test_a_browser_session_works_and_strangers_are_refused(world: World, api_as: Any) -> None:
    browser = HttpClient()
    browser.force_login(world.biller)
    seen = events_of(browser.get("/api/v1/events"))
    assert [(e.event, e.data) for e in seen] == [("unread", {"practice": 0, "clients": 0})]
    refused = api_as(None).get("/events")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "not_authenticated"
    assert api_as(world.biller).post("/events").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_publishing_after_commit_names_the_participants_at_that_moment(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[list[Delivery]] = []
    monkeypatch.setattr(publish, "publish", sent.append)
    monkeypatch.setattr(publish, "listened_to", lambda: True)  # as a server process
    thread = start_thread(
        sender=world.clinician,
        user_ids=[world.biller.pk, world.scheduler.pk],
        subject="Claims",
        body="One",
    )
    [deliveries] = sent
    assert deliveries[0].event == "message"
    assert set(deliveries[0].users) == {world.clinician.pk, world.biller.pk, world.scheduler.pk}
    unread = {d.users: d.data for d in deliveries if d.event == "unread"}
    assert unread[(world.biller.pk,)] == {"practice": 1, "clients": 0}
    assert unread[(world.clinician.pk,)] == {"practice": 0, "clients": 0}

    sent.clear()
    delete_for_user(participation=Participant.objects.get(thread=thread, user=world.scheduler))
    [deliveries] = sent
    assert [(d.users, d.event) for d in deliveries] == [
        ((world.scheduler.pk,), "thread_state"),
        ((world.scheduler.pk,), "unread"),
    ]
    assert deliveries[0].data["deleted"] is True

    sent.clear()
    cleo = Participant.objects.get(thread=thread, user=world.clinician)
    edit_header(editor=world.clinician, participation=cleo, subject="Renamed")
    [[header]] = sent
    assert header.event == "header_changed"
    assert set(header.users) == {world.clinician.pk, world.biller.pk}  # not who deleted it
