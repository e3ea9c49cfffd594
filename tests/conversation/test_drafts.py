"""Drafts (F18): saved on the server, their writer's alone, removed when sent,
expired after 30 days, limited like messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError
from django.utils import timezone

from huddle.messaging import actions, drafts, worker_steps
from huddle.messaging.models import Draft, Thread
from tests.api.helpers import error_of, field_error
from tests.conftest import World
from tests.conversation.helpers import open_outsider, staff_thread


def test_a_reply_draft_comes_back_and_goes_when_the_reply_is_sent(
    world: World, api_as: Any
) -> None:
    open_outsider(world)
    thread = staff_thread(world)
    biller = api_as(world.biller)
    error_of(biller.get(f"/threads/{thread.pk}/draft"), 404)
    saved = biller.put(f"/threads/{thread.pk}/draft", {"body": "I will call the cli"})
    assert saved.status_code == 200, saved.content
    # Another device: a new token of the same person.
    again = api_as(world.biller).get(f"/threads/{thread.pk}/draft")
    assert again.json()["body"] == "I will call the cli"
    biller.put(f"/threads/{thread.pk}/draft", {"body": "I will call the client"})
    assert Draft.objects.get(user=world.biller).body == "I will call the client"
    # Nobody else sees it, not even others on the thread.
    error_of(api_as(world.scheduler).get(f"/threads/{thread.pk}/draft"), 404)
    error_of(api_as(world.outsider_admin).get(f"/threads/{thread.pk}/draft"), 404)
    error_of(api_as(world.co_clinician).put(f"/threads/{thread.pk}/draft", {"body": "x"}), 404)
    sent = biller.post(f"/threads/{thread.pk}/messages", {"body": "I will call the client"})
    assert sent.status_code == 201
    assert not Draft.objects.exists()


def test_new_thread_drafts_are_listed_changed_sent_and_private(world: World, api_as: Any) -> None:
    open_outsider(world)
    clinician = api_as(world.clinician)
    created = clinician.post(
        "/drafts",
        {"recipients": {"users": [str(world.biller.pk)]}, "subject": "Claim", "body": "Can y"},
    )
    assert created.status_code == 201, created.content
    draft_id = created.json()["id"]
    assert [d["id"] for d in clinician.get("/drafts").json()["items"]] == [draft_id]
    changed = clinician.put(
        f"/drafts/{draft_id}",
        {"recipients": {"users": [str(world.biller.pk)]}, "subject": "Claim", "body": "Can you"},
    )
    assert changed.json()["body"] == "Can you"
    for user in (world.biller, world.outsider_admin, world.client.user):
        other = api_as(user)
        error_of(other.get(f"/drafts/{draft_id}"), 404)
        error_of(other.put(f"/drafts/{draft_id}", {"body": "x"}), 404)
        error_of(other.delete(f"/drafts/{draft_id}"), 404)
        assert other.get("/drafts").json()["items"] == []
    sent = clinician.post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)]},
            "subject": "Claim",
            "body": "Can you",
            "draft_id": draft_id,
        },
    )
    assert sent.status_code == 201, sent.content
    assert not Draft.objects.exists()


def test_too_long_drafts_are_400_and_nothing_is_stored(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    biller = api_as(world.biller)
    error_of(biller.put(f"/threads/{thread.pk}/draft", {"body": "x" * 10_001}), 400)
    field_error(biller.post("/drafts", {"subject": "s" * 201}), "subject")
    assert not Draft.objects.exists()


def test_drafts_expire_after_30_days(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    api_as(world.biller).put(f"/threads/{thread.pk}/draft", {"body": "Old"})
    Draft.objects.update(updated_at=timezone.now() - timedelta(days=31))
    error_of(api_as(world.biller).get(f"/threads/{thread.pk}/draft"), 404)
    assert worker_steps.purge_drafts() == 1
    assert not Draft.objects.exists()


def test_deleting_a_draft(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    biller = api_as(world.biller)
    biller.put(f"/threads/{thread.pk}/draft", {"body": "Never mind"})
    assert biller.delete(f"/threads/{thread.pk}/draft").status_code == 204
    error_of(biller.delete(f"/threads/{thread.pk}/draft"), 404)
    assert not Draft.objects.exists()


def test_a_send_and_the_removal_of_its_draft_are_one_change(
    world: World, api_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The draft goes inside the send's transaction: when removing it fails, the
    message is not sent either (nothing half-written), and the draft is kept."""
    clinician = api_as(world.clinician)
    created = clinician.post(
        "/drafts",
        {"recipients": {"users": [str(world.biller.pk)]}, "subject": "Claim", "body": "Can you"},
    )
    draft_id = created.json()["id"]

    def fails(**_: object) -> None:
        raise DatabaseError("the disk is full")

    monkeypatch.setattr(drafts, "discard_thread_draft", fails)
    with pytest.raises(DatabaseError):
        actions.start_thread(
            sender=world.clinician,
            user_ids=[world.biller.pk],
            subject="Claim",
            body="Can you",
            draft_id=draft_id,
        )
    assert not Thread.objects.filter(subject="Claim").exists()
    assert Draft.objects.filter(pk=draft_id).exists()


def test_scheduling_a_message_removes_the_draft_it_was_written_in(
    world: World, api_as: Any
) -> None:
    open_outsider(world)
    thread = staff_thread(world)
    biller = api_as(world.biller)
    biller.put(f"/threads/{thread.pk}/draft", {"body": "Tomorrow at nine"})
    send_at = (timezone.now() + timedelta(hours=1)).isoformat()
    later = biller.post(
        f"/threads/{thread.pk}/messages", {"body": "Tomorrow at nine", "send_at": send_at}
    )
    assert later.status_code == 202, later.content
    assert not Draft.objects.filter(user=world.biller).exists()

    clinician = api_as(world.clinician)
    body = {"recipients": {"users": [str(world.biller.pk)]}, "subject": "Rota", "body": "Friday"}
    draft_id = clinician.post("/drafts", body).json()["id"]
    # Someone else's draft id is not theirs to remove.
    error_of(api_as(world.outsider_admin).delete(f"/drafts/{draft_id}"), 404)
    scheduled = clinician.post("/threads", {**body, "send_at": send_at, "draft_id": draft_id})
    assert scheduled.status_code == 202, scheduled.content
    assert not Draft.objects.filter(pk=draft_id).exists()
