"""Archive and delete (F7) are each person's own: the others keep the thread as
it was; a later reply brings it back, whole, to everyone's Inbox."""

from __future__ import annotations

from typing import Any

from huddle.messaging import actions
from huddle.messaging.models import Entry, Participant, Thread
from tests.api.helpers import error_of
from tests.conftest import World
from tests.messaging.helpers import listed, sent, state_of, unread


def test_archiving_moves_the_thread_for_that_person_only(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    thread = sent(clinician, users=[world.biller])

    response = biller.post(f"/threads/{thread}/archive")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "thread_id": thread,
        "archived": True,
        "deleted": False,
        "unread_count": 1,
    }
    assert state_of(world.biller, thread).archived is True
    assert state_of(world.clinician, thread).archived is False
    assert listed(biller) == {}
    assert listed(biller, "archived")[thread]["archived"] is True
    assert listed(clinician)[thread]["archived"] is False
    assert listed(clinician, "archived") == {}
    assert unread(biller) == 1  # archiving does not read it


def test_unarchiving_moves_it_back_to_the_inbox(world: World, api_as: Any) -> None:
    biller = api_as(world.biller)
    thread = sent(api_as(world.clinician), users=[world.biller])
    assert biller.post(f"/threads/{thread}/archive").status_code == 200

    response = biller.post(f"/threads/{thread}/unarchive")

    assert response.status_code == 200, response.content
    assert response.json()["archived"] is False
    assert state_of(world.biller, thread).archived is False
    assert list(listed(biller)) == [thread]
    assert listed(biller, "archived") == {}


def test_deleting_hides_the_thread_from_that_person_only(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    thread = sent(clinician, users=[world.biller, world.scheduler])
    missing = biller.get("/threads/987654321")

    response = biller.delete(f"/threads/{thread}")

    assert response.status_code == 204
    assert response.content == b""
    gone = biller.get(f"/threads/{thread}")
    error_of(gone, 404, "not_found")
    assert gone.content == missing.content
    for method, suffix in [("POST", "/read"), ("POST", "/archive"), ("DELETE", "")]:
        assert biller.call(method, f"/threads/{thread}{suffix}").status_code == 404
    assert biller.post(f"/threads/{thread}/messages", {"body": "x"}).status_code == 404
    assert biller.patch(f"/threads/{thread}", {"subject": "x"}).status_code == 404
    assert listed(biller) == {}
    assert listed(biller, "archived") == {}
    assert unread(biller) == 0
    assert state_of(world.biller, thread).deleted is True
    # The others keep it, unchanged; the practice's record stays.
    assert state_of(world.scheduler, thread).deleted is False
    assert state_of(world.scheduler, thread).unread_count == 1
    assert list(listed(clinician)) == [thread]
    assert clinician.get(f"/threads/{thread}").status_code == 200
    assert Thread.objects.filter(pk=int(thread)).exists()
    assert Entry.objects.filter(thread_id=int(thread)).count() == 1


def test_a_reply_brings_a_deleted_thread_back_whole(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    thread = sent(clinician, users=[world.biller], body="First")
    assert biller.post(f"/threads/{thread}/messages", {"body": "Second"}).status_code == 201
    assert biller.post(f"/threads/{thread}/archive").status_code == 200
    assert biller.delete(f"/threads/{thread}").status_code == 204

    assert clinician.post(f"/threads/{thread}/messages", {"body": "Third"}).status_code == 201

    row = state_of(world.biller, thread)
    assert (row.deleted, row.archived, row.unread_count) == (False, False, 1)
    summary = listed(biller)[thread]
    assert summary["unread_count"] == 1
    assert summary["archived"] is False
    assert unread(biller) == 1
    opened = biller.get(f"/threads/{thread}")
    assert opened.status_code == 200
    bodies = [e["body"] for e in opened.json()["timeline"]]
    assert bodies == ["First", "Second", "Third"]


def test_the_author_of_a_reply_gets_a_thread_they_deleted_back(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    thread = sent(clinician, users=[world.biller])
    assert clinician.delete(f"/threads/{thread}").status_code == 204

    assert biller.post(f"/threads/{thread}/messages", {"body": "Still there?"}).status_code == 201

    assert listed(clinician)[thread]["unread_count"] == 1
    assert state_of(world.clinician, thread).deleted is False


def test_read_and_unread_set_the_callers_count(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    thread = sent(clinician, users=[world.biller, world.scheduler])
    assert clinician.post(f"/threads/{thread}/messages", {"body": "And another"}).status_code == 201
    assert state_of(world.biller, thread).unread_count == 2

    unread_again = biller.post(f"/threads/{thread}/unread")
    assert unread_again.json()["unread_count"] == 2  # already unread: unchanged
    read = biller.post(f"/threads/{thread}/read")
    assert read.status_code == 200, read.content
    assert read.json() == {
        "thread_id": thread,
        "archived": False,
        "deleted": False,
        "unread_count": 0,
    }
    assert state_of(world.biller, thread).unread_count == 0
    assert unread(biller) == 0

    marked = biller.post(f"/threads/{thread}/unread")
    assert marked.status_code == 200, marked.content
    assert marked.json()["unread_count"] == 1
    assert state_of(world.biller, thread).unread_count == 1
    assert unread(biller) == 1
    assert listed(biller)[thread]["unread_count"] == 1
    # Only the caller's state moved.
    assert state_of(world.scheduler, thread).unread_count == 2
    assert state_of(world.clinician, thread).unread_count == 0
    assert Participant.objects.filter(unread_count__gt=0).count() == 2


def test_moving_a_thread_already_in_the_inbox_keeps_its_place(world: World, api_as: Any) -> None:
    older = actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Older", body="1"
    )
    actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Newer", body="2"
    )
    biller = api_as(world.biller)
    assert biller.post(f"/threads/{older.pk}/unarchive").status_code == 200
    subjects = [t["subject"] for t in biller.get("/threads?folder=inbox").json()["items"]]
    assert subjects == ["Newer", "Older"]
