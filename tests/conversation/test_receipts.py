"""Read receipts (F17): staff see how far each participant has read; a client
sees only "read by the practice", and only when the practice turns it on."""

from __future__ import annotations

from typing import Any

from huddle.messaging import actions
from huddle.messaging.models import Participant
from tests.conftest import World
from tests.conversation.helpers import participation, staff_thread


def receipts_by_user(detail: dict[str, Any]) -> dict[str | None, Any]:
    return {(r["user"] or {}).get("id"): r for r in detail["receipts"]}


def test_staff_see_each_others_read_positions(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    first = thread.last_message_id
    clinician = api_as(world.clinician)
    before = receipts_by_user(clinician.get(f"/threads/{thread.pk}").json())
    assert set(before) == {str(world.biller.pk), str(world.scheduler.pk)}
    assert before[str(world.biller.pk)]["read_up_to"] is None
    api_as(world.biller).get(f"/threads/{thread.pk}")  # the biller reads it
    after = receipts_by_user(clinician.get(f"/threads/{thread.pk}").json())
    assert after[str(world.biller.pk)]["read_up_to"] == str(first)
    assert after[str(world.biller.pk)]["at"] is not None
    assert after[str(world.scheduler.pk)]["read_up_to"] is None
    stored = Participant.objects.get(user=world.biller, thread=thread)
    assert stored.read_up_to == first
    # A reply moves its author's position; the others stay where they were.
    reply = actions.reply(
        author=world.scheduler, participation=participation(world.scheduler, thread), body="Ok"
    )
    latest = receipts_by_user(api_as(world.biller).get(f"/threads/{thread.pk}").json())
    assert latest[str(world.scheduler.pk)]["read_up_to"] == str(reply.pk)
    assert latest[str(world.clinician.pk)]["read_up_to"] == str(first)


def client_thread(world: World, api_as: Any) -> str:
    created = api_as(world.client.user).post(
        "/threads", {"audience": "clinical", "subject": "Tuesday", "body": "Can we move it?"}
    )
    assert created.status_code == 201, created.content
    thread_id: str = created.json()["id"]
    return thread_id


def test_clients_see_nothing_unless_the_practice_turns_it_on(world: World, api_as: Any) -> None:
    thread_id = client_thread(world, api_as)
    client = api_as(world.client.user)
    api_as(world.clinician).get(f"/threads/{thread_id}")  # the clinician reads it
    assert client.get(f"/threads/{thread_id}").json()["receipts"] == []
    # Staff see the client's receipt.
    staff_view = receipts_by_user(api_as(world.clinician).get(f"/threads/{thread_id}").json())
    assert str(world.client.pk) in staff_view

    answer = api_as(world.admin).patch("/practice/settings", {"client_read_receipts": True})
    assert answer.status_code == 200, answer.content
    assert answer.json()["client_read_receipts"] is True
    detail = client.get(f"/threads/{thread_id}").json()
    message_id = detail["timeline"][0]["id"]
    assert detail["receipts"] == [
        {"user": None, "read_up_to": message_id, "at": detail["receipts"][0]["at"]}
    ]
    # Never the staff's names or number.
    assert world.clinician.name not in str(detail["receipts"])


def test_receipts_of_an_unread_client_thread_say_not_yet(world: World, api_as: Any) -> None:
    thread_id = client_thread(world, api_as)
    api_as(world.admin).patch("/practice/settings", {"client_read_receipts": True})
    detail = api_as(world.client.user).get(f"/threads/{thread_id}").json()
    assert detail["receipts"] == [{"user": None, "read_up_to": None, "at": None}]


def test_the_setting_is_for_practice_admins(world: World, api_as: Any) -> None:
    from tests.api.helpers import error_of

    error_of(
        api_as(world.clinician).patch("/practice/settings", {"client_read_receipts": True}), 403
    )
    world.practice.refresh_from_db()
    assert world.practice.client_read_receipts is False
