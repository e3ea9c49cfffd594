"""The after-hours reply (F22): a client writing while the practice is closed gets
the practice's reply as an automatic notice, once per thread per closed period,
never as a message from a person and never unread for staff; on both sides of a
daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from huddle.availability.models import Notice
from huddle.messaging.models import Participant, Thread
from tests.availability.helpers import notices, set_hours, timeline
from tests.client_messaging.helpers import created, start_as_client, start_with_client
from tests.conftest import Api, World

REPLY = "We are closed. In an emergency call 911, or call or text 988."


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> time_machine.travel:
    return time_machine.travel(datetime(year, month, day, hour, minute, tzinfo=UTC), tick=False)


def write_as_client(world: World, body: str = "Hello") -> str:
    return created(start_as_client(Api(world.client.user), "clinical", body=body))


def reply(user_api: Api, thread_id: str, body: str = "More") -> None:
    response = user_api.post(f"/threads/{thread_id}/messages", {"body": body})
    assert response.status_code == 201, response.content


def test_a_client_writing_at_night_gets_the_reply_once_per_closed_period(world: World) -> None:
    set_hours(world.admin, after_hours_reply=REPLY)
    with at(2026, 12, 3, 3, 0):  # Thu 22:00 in New York
        thread = write_as_client(world)
        items = timeline(Api(world.client.user), thread)
        reply(Api(world.client.user), thread)  # the same night: no second notice
    assert [i["type"] for i in items] == ["message", "auto_reply"]
    notice = items[1]
    assert notice["reason"] == "after_hours" and notice["text"] == REPLY
    assert notice["at"].startswith("2026-12-03T03:00")
    assert "author" not in notice
    assert len(notices(thread)) == 1
    with at(2026, 12, 3, 15, 0):  # Thu 10:00: open, no notice
        reply(Api(world.client.user), thread)
    assert len(notices(thread)) == 1
    with at(2026, 12, 4, 1, 0):  # Thu 20:00: a new closed period
        reply(Api(world.client.user), thread)
    stored = notices(thread)
    assert len(stored) == 2
    assert {n.notice.key for n in stored} == {
        "after_hours:2026-12-02T22:00:00+00:00",
        "after_hours:2026-12-03T22:00:00+00:00",
    }


def test_staff_see_the_notice_but_it_is_not_unread_nor_the_last_message(world: World) -> None:
    set_hours(world.admin, after_hours_reply=REPLY)
    with at(2026, 12, 5, 17, 0):  # Saturday
        thread = write_as_client(world, body="Saturday question")
        staff_items = timeline(Api(world.clinician), thread)
    assert [i["type"] for i in staff_items] == ["message", "auto_reply"]
    stored = Thread.objects.select_related("last_message").get(pk=int(thread))
    assert stored.last_message is not None and stored.last_message.body == "Saturday question"
    assert Participant.objects.get(user=world.client.user, thread=stored).unread_count == 0


def test_the_clinicians_unread_count_is_the_message_alone(world: World) -> None:
    set_hours(world.admin, after_hours_reply=REPLY)
    with at(2026, 12, 5, 17, 0):
        thread = write_as_client(world)
        listed = Api(world.clinician).get("/threads?view=clients").json()["items"]
        me = Api(world.clinician).get("/me").json()
    assert len(notices(thread)) == 1
    assert Participant.objects.get(user=world.clinician, thread_id=int(thread)).unread_count == 1
    assert [(t["id"], t["unread_count"]) for t in listed] == [(thread, 1)]
    assert listed[0]["last_message"]["snippet"] == "Hello"
    assert me["unread"]["clients"] == 1


def test_staff_writing_after_hours_set_off_no_reply(world: World) -> None:
    set_hours(world.admin, after_hours_reply=REPLY)
    with at(2026, 12, 5, 17, 0):
        thread = created(start_with_client(Api(world.clinician), world.client))
        reply(Api(world.clinician), thread)
    assert notices(thread) == []


def test_no_reply_before_the_practice_sets_its_hours(world: World) -> None:
    with at(2026, 12, 5, 17, 0):
        thread = write_as_client(world)
    assert notices(thread) == []
    assert not Notice.objects.exists()


def test_the_reply_follows_the_clock_across_the_autumn_change(world: World) -> None:
    set_hours(world.admin, after_hours_reply=REPLY)
    with at(2026, 10, 30, 12, 30):  # Fri 08:30 EDT: open
        before_change = write_as_client(world)
    with at(2026, 11, 2, 12, 30):  # Mon 07:30 EST: still closed
        after_change = write_as_client(world)
    with at(2026, 11, 2, 13, 30):  # Mon 08:30 EST: open
        open_again = write_as_client(world)
    assert notices(before_change) == []
    assert [n.notice.key for n in notices(after_change)] == [
        "after_hours:2026-10-30T21:00:00+00:00"  # Fri 17:00 EDT
    ]
    assert notices(open_again) == []


def test_the_reply_follows_the_clock_across_the_spring_change(world: World) -> None:
    set_hours(world.admin, after_hours_reply=REPLY)
    with at(2026, 3, 6, 12, 30):  # Fri 07:30 EST: closed
        before_change = write_as_client(world)
    with at(2026, 3, 9, 12, 30):  # Mon 08:30 EDT: open
        after_change = write_as_client(world)
    assert len(notices(before_change)) == 1
    assert notices(after_change) == []


def test_closed_dates_get_the_reply_all_day(world: World) -> None:
    set_hours(world.admin, after_hours_reply=REPLY, closed_dates=["2026-12-24"])
    with at(2026, 12, 24, 16, 0):  # Thu 11:00, a closed date
        thread = write_as_client(world)
    assert len(notices(thread)) == 1
