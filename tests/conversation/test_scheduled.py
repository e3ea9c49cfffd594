"""Send later (F21): stored now, invisible until its time, sent once by the
worker as its author, unless the author lost access; changed or cancelled before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from huddle.accounts.actions import update_staff
from huddle.clients.actions import update_client
from huddle.messaging import scheduled, worker_steps
from huddle.messaging.models import Entry, ScheduledMessage, Thread
from tests.api.helpers import error_of, field_error
from tests.conftest import World
from tests.conversation.helpers import open_outsider, staff_thread


def later(minutes: float = 60) -> str:
    return (timezone.now() + timedelta(minutes=minutes)).isoformat()


def test_a_scheduled_reply_is_sent_at_its_time_exactly_once(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    biller = api_as(world.biller)
    answer = biller.post(
        f"/threads/{thread.pk}/messages", {"body": "Good morning", "send_at": later(60)}
    )
    assert answer.status_code == 202, answer.content
    item = answer.json()
    assert item["status"] == "scheduled"
    # Nothing is visible to the recipients before its time.
    timeline = api_as(world.clinician).get(f"/threads/{thread.pk}").json()["timeline"]
    assert [m["body"] for m in timeline] == ["Room 4 today"]
    assert worker_steps.send_scheduled(timezone.now()) == 0
    due = timezone.now() + timedelta(minutes=61)
    assert worker_steps.send_scheduled(due) == 1
    assert worker_steps.send_scheduled(due) == 0  # once
    assert scheduled.send_one(int(item["id"]), due) is False  # a second worker loses
    bodies = list(Entry.objects.filter(thread=thread).values_list("author_id", "body"))
    assert bodies[-1] == (world.biller.pk, "Good morning")
    assert len(bodies) == 2
    assert biller.get("/scheduled").json()["items"][0]["status"] == "sent"


def test_a_scheduled_new_thread_is_sent_as_its_author(world: World, api_as: Any) -> None:
    answer = api_as(world.clinician).post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)]},
            "subject": "Tomorrow",
            "body": "Start at 8",
            "send_at": later(30),
        },
    )
    assert answer.status_code == 202, answer.content
    assert not Thread.objects.exists()
    worker_steps.send_scheduled(timezone.now() + timedelta(minutes=31))
    thread = Thread.objects.get()
    assert (thread.subject, thread.created_by_id) == ("Tomorrow", world.clinician.pk)
    assert ScheduledMessage.objects.get().sent_thread_id == thread.pk


def test_lost_access_means_not_sent_and_the_author_is_told(world: World, api_as: Any) -> None:
    created = api_as(world.client.user).post(
        "/threads", {"audience": "clinical", "subject": "Tuesday", "body": "Can we move it?"}
    )
    thread_id = created.json()["id"]
    answer = api_as(world.clinician).post(
        f"/threads/{thread_id}/messages", {"body": "Yes, 3 pm", "send_at": later(60)}
    )
    assert answer.status_code == 202, answer.content
    # The clinician is no longer assigned to the client: no access to the thread.
    update_client(actor=world.admin, client=world.client, clinician_ids=[world.co_clinician.pk])
    assert worker_steps.send_scheduled(timezone.now() + timedelta(minutes=61)) == 1
    item = ScheduledMessage.objects.get()
    assert (item.status, item.failure) == ("failed", "no_access")
    assert Entry.objects.filter(thread_id=thread_id).count() == 1
    listed = api_as(world.clinician).get("/scheduled").json()["items"]
    assert listed[0]["status"] == "failed"


def test_a_deactivated_author_sends_nothing(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    api_as(world.biller).post(f"/threads/{thread.pk}/messages", {"body": "Hi", "send_at": later()})
    update_staff(actor=world.admin, staff=world.biller, is_active=False)
    worker_steps.send_scheduled(timezone.now() + timedelta(minutes=61))
    assert ScheduledMessage.objects.get().status == "failed"
    assert Entry.objects.filter(thread=thread).count() == 1


def test_change_and_cancel_before_it_goes(world: World, api_as: Any) -> None:
    open_outsider(world)
    thread = staff_thread(world)
    biller = api_as(world.biller)
    item_id = biller.post(
        f"/threads/{thread.pk}/messages", {"body": "Hi", "send_at": later()}
    ).json()["id"]
    changed = biller.patch(f"/scheduled/{item_id}", {"body": "Hello", "send_at": later(120)})
    assert changed.status_code == 200, changed.content
    assert changed.json()["body"] == "Hello"
    for user in (world.clinician, world.outsider_admin, world.client.user):
        error_of(api_as(user).patch(f"/scheduled/{item_id}", {"body": "x"}), 404)
        error_of(api_as(user).delete(f"/scheduled/{item_id}"), 404)
    assert biller.delete(f"/scheduled/{item_id}").status_code == 204
    error_of(biller.patch(f"/scheduled/{item_id}", {"body": "again"}), 409)
    worker_steps.send_scheduled(timezone.now() + timedelta(hours=3))
    assert Entry.objects.filter(thread=thread).count() == 1
    assert ScheduledMessage.objects.get().status == "cancelled"


def test_bad_times_are_400_and_nothing_is_stored(world: World, api_as: Any) -> None:
    open_outsider(world)
    thread = staff_thread(world)
    biller = api_as(world.biller)
    path = f"/threads/{thread.pk}/messages"
    field_error(biller.post(path, {"body": "x", "send_at": later(-5)}), "send_at")
    field_error(biller.post(path, {"body": "x", "send_at": later(31 * 24 * 60)}), "send_at")
    field_error(
        api_as(world.client.user).post(
            "/threads",
            {
                "audience": "clinical",
                "subject": "s",
                "body": "b",
                "urgent": True,
                "send_at": later(),
            },
        ),
        "urgent",
    )
    error_of(api_as(world.outsider_admin).post(path, {"body": "x", "send_at": later()}), 404)
    assert not ScheduledMessage.objects.exists()
