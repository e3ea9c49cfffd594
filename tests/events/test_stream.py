"""GET /api/v1/events against real server processes: two granian processes on
one database and one Redis, and one without Redis (its in-process broker)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.test import Client as HttpClient

from huddle.messaging.actions import start_client_thread, start_thread
from huddle.messaging.models import Thread
from tests.conftest import World
from tests.events.conftest import bearer, call, stream
from tests.events.servers import Event, Server

pytestmark = pytest.mark.django_db(transaction=True)


def practice_thread(world: World) -> Thread:
    return start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="Hello"
    )


def is_message(message_id: str) -> Any:
    return lambda e: e.event == "message" and e.data["message"]["id"] == message_id


def reply(server: Server, headers: dict[str, str], thread: Thread, body: str) -> str:
    answer = call(server, "POST", f"/threads/{thread.pk}/messages", headers, json={"body": body})
    return str(answer["id"])


def test_a_message_sent_through_one_process_reaches_the_other_in_order_exactly_once(
    two_servers: tuple[Server, Server], world: World
) -> None:
    first, second = two_servers
    thread = practice_thread(world)
    cleo = bearer(world.clinician)
    with stream(second, bearer(world.biller)) as events:
        [opening] = events.until(lambda e: e.event == "unread")
        assert opening.data == {"practice": 1, "clients": 0}
        sent = [reply(first, cleo, thread, f"Reply {n}") for n in range(3)]
        seen = events.until(is_message(sent[-1]))
        seen += events.until_keepalive()  # whatever else was on its way

    messages = [e for e in seen if e.event == "message"]
    assert [e.data["message"]["id"] for e in messages] == sent
    assert [e.id for e in messages] == sent  # the id is the entry's, increasing
    assert messages[0].data["thread_id"] == str(thread.pk)
    assert messages[0].data["message"]["author"] == {
        "id": str(world.clinician.pk),
        "name": "Cleo Clinician",
    }
    assert messages[0].data["message"]["body"] == "Reply 0"
    states = [e.data for e in seen if e.event == "thread_state"]
    assert states[-1] == {
        "thread_id": str(thread.pk),
        "archived": False,
        "deleted": False,
        "unread_count": 4,
    }
    unread = [e for e in seen if e.event == "unread"]
    assert unread[-1].data == {"practice": 4, "clients": 0}
    assert unread[-1].id == sent[-1]  # state events carry the latest id


def test_resuming_with_last_event_id_misses_nothing(
    two_servers: tuple[Server, Server], world: World
) -> None:
    first, second = two_servers
    thread = practice_thread(world)
    cleo, bill = bearer(world.clinician), bearer(world.biller)
    with stream(second, bill) as events:
        m1 = reply(first, cleo, thread, "While connected")
        last = events.until(is_message(m1))[-1].id
    # Disconnected: a reply, a header change, another reply.
    m2 = reply(first, cleo, thread, "While away")
    header = call(first, "PATCH", f"/threads/{thread.pk}", cleo, json={"subject": "Claims Q3"})
    m3 = reply(first, cleo, thread, "Still away")

    with stream(second, bill, last_event_id=last) as events:
        seen = events.until(lambda e: e.event == "unread")
    assert [(e.event, e.id) for e in seen] == [
        ("message", m2),
        ("header_changed", header["id"]),
        ("message", m3),
        ("unread", m3),
    ]
    assert seen[1].data == {
        "thread_id": str(thread.pk),
        "id": header["id"],
        "by": {"id": str(world.clinician.pk), "name": "Cleo Clinician"},
        "from": "Claims",
        "to": "Claims Q3",
        "at": header["at"],
    }
    assert seen[-1].data == {"practice": 4, "clients": 0}  # the first message and 3 replies


def test_an_unassigned_clinician_gets_nothing_more_of_the_clients_threads(
    two_servers: tuple[Server, Server], world: World
) -> None:
    first, second = two_servers
    client_thread = start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="clinical",
        subject="Next week",
        body="Can we move my session?",
    )
    other = practice_thread(world)
    admin, casey = bearer(world.admin), bearer(world.client.user)
    with (
        stream(second, bearer(world.clinician)) as cleo_events,
        stream(second, bearer(world.co_clinician)) as cody_events,
    ):
        call(
            first,
            "PATCH",
            f"/clients/{world.client.pk}",
            admin,
            json={"clinician_ids": [str(world.co_clinician.pk)]},
        )
        after = reply(first, casey, client_thread, "Hello again")
        # Cody, newly assigned, hears it; Cleo does not, but still hears her other threads.
        cody_events.until(is_message(after))
        sentinel = reply(first, bearer(world.biller), other, "Still here")
        seen = cleo_events.until(is_message(sentinel))
    assert all(e.data.get("thread_id") != str(client_thread.pk) for e in seen)


def test_who_deleted_a_thread_misses_its_header_change_but_gets_the_next_reply(
    two_servers: tuple[Server, Server], world: World
) -> None:
    first, second = two_servers
    thread = practice_thread(world)
    cleo, bill = bearer(world.clinician), bearer(world.biller)
    with stream(second, bill) as events:
        call(first, "DELETE", f"/threads/{thread.pk}", bill)
        call(first, "PATCH", f"/threads/{thread.pk}", cleo, json={"subject": "Renamed"})
        back = reply(first, cleo, thread, "Back again")
        seen = events.until(is_message(back))
    kinds = [(e.event, e.data.get("deleted")) for e in seen if e.event != "unread"]
    assert kinds == [("thread_state", True), ("message", None)]


def test_the_stream_ends_when_its_token_is_revoked(
    two_servers: tuple[Server, Server], world: World
) -> None:
    first, second = two_servers
    bill = bearer(world.biller)
    with stream(second, bill) as events:
        events.until(lambda e: e.event == "unread")
        call(first, "DELETE", "/auth/token", bill)
        events.until_end(timeout=10)
    response = call_raw(second, bill)
    assert response.status_code == 401
    assert response.json() == {
        "error": {"code": "not_authenticated", "message": "Sign in to use this."}
    }


def test_a_browser_sessions_stream_ends_when_it_signs_out(
    two_servers: tuple[Server, Server], world: World
) -> None:
    _, second = two_servers
    browser = HttpClient()
    browser.force_login(world.biller)
    cookie = {"Cookie": f"sessionid={browser.cookies['sessionid'].value}"}
    with stream(second, cookie) as events:
        events.until(lambda e: e.event == "unread")
        browser.logout()
        events.until_end(timeout=10)


def test_a_quiet_stream_sends_keep_alive_comments(
    two_servers: tuple[Server, Server], world: World
) -> None:
    _, second = two_servers
    with stream(second, bearer(world.biller)) as events:
        assert [e.event for e in events.until_keepalive()] == ["unread"]
        assert events.until_keepalive() == []


def test_without_redis_one_process_delivers_to_its_own_streams(
    lone_server: Server, world: World
) -> None:
    thread = practice_thread(world)
    with stream(lone_server, bearer(world.biller)) as events:
        sent = reply(lone_server, bearer(world.clinician), thread, "Local")
        seen: list[Event] = events.until(is_message(sent))
    assert [e.event for e in seen] == ["unread", "message"]


def call_raw(server: Server, headers: dict[str, str], method: str = "GET") -> Any:
    return httpx.request(method, f"{server.url}/api/v1/events", headers=headers, timeout=10)


def test_the_stream_needs_a_sign_in_and_get(lone_server: Server, world: World) -> None:
    assert call_raw(lone_server, {}).status_code == 401
    assert call_raw(lone_server, {"Authorization": "Bearer nope"}).status_code == 401
    refused = call_raw(lone_server, bearer(world.biller), method="POST")
    assert refused.status_code == 405
    assert refused.json()["error"]["code"] == "method_not_allowed"
