"""Editing and removing one's own message (F19), through the API, as the author,
another participant and outsiders; the record keeps every version."""

from __future__ import annotations

from typing import Any

from huddle.audit.models import AuditEvent
from huddle.messaging.models import Entry, EntryVersion
from tests.api.helpers import error_of, field_error
from tests.conftest import World
from tests.conversation.helpers import age, first_message, message_of, open_outsider, staff_thread


def test_the_author_edits_within_the_window_and_everyone_sees_edited(
    world: World, api_as: Any
) -> None:
    thread = staff_thread(world)
    entry = first_message(thread)
    answer = api_as(world.clinician).patch(f"/messages/{entry.pk}", {"body": "Room 5 today"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["body"] == "Room 5 today"
    assert answer.json()["edited_at"] is not None
    seen = api_as(world.biller).get(f"/threads/{thread.pk}").json()
    message = message_of(seen, entry.pk)
    assert message["body"] == "Room 5 today"
    assert message["edited_at"] is not None
    assert message["removed"] is False
    versions = api_as(world.biller).get(f"/messages/{entry.pk}/versions").json()["items"]
    assert [v["body"] for v in versions] == ["Room 4 today"]
    stored = Entry.objects.get(pk=entry.pk)
    assert stored.body == "Room 5 today"
    assert list(EntryVersion.objects.filter(entry=entry).values_list("body", flat=True)) == [
        "Room 4 today"
    ]
    assert AuditEvent.objects.filter(action="message_edited", actor=world.clinician).count() == 1


def test_removing_shows_message_removed_and_keeps_the_text_in_the_record(
    world: World, api_as: Any
) -> None:
    thread = staff_thread(world)
    entry = first_message(thread)
    api_as(world.clinician).patch(f"/messages/{entry.pk}", {"body": "Room 5 today"})
    answer = api_as(world.clinician).delete(f"/messages/{entry.pk}")
    assert answer.status_code == 200, answer.content
    assert answer.json()["removed"] is True
    assert answer.json()["body"] == ""
    message = message_of(api_as(world.scheduler).get(f"/threads/{thread.pk}").json(), entry.pk)
    assert (message["body"], message["removed"]) == ("", True)
    # Others cannot read the removed texts; the record keeps both versions.
    assert api_as(world.scheduler).get(f"/messages/{entry.pk}/versions").json()["items"] == []
    kept = EntryVersion.objects.filter(entry=entry).order_by("pk").values_list("body", flat=True)
    assert list(kept) == ["Room 4 today", "Room 5 today"]
    assert AuditEvent.objects.filter(action="message_removed").count() == 1
    # Removed is final: neither edited nor removed again.
    again = api_as(world.clinician).patch(f"/messages/{entry.pk}", {"body": "Back"})
    error_of(again, 409)


def test_after_the_window_an_edit_is_409_and_nothing_changes(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    entry = first_message(thread)
    age(entry, 16)
    answer = api_as(world.clinician).patch(f"/messages/{entry.pk}", {"body": "Too late"})
    error_of(answer, 409, "edit_window_closed")
    error_of(api_as(world.clinician).delete(f"/messages/{entry.pk}"), 409, "edit_window_closed")
    assert Entry.objects.get(pk=entry.pk).body == "Room 4 today"
    assert not EntryVersion.objects.exists()


def test_another_participant_gets_403_not_author(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    entry = first_message(thread)
    error_of(
        api_as(world.biller).patch(f"/messages/{entry.pk}", {"body": "Mine now"}), 403, "not_author"
    )
    error_of(api_as(world.biller).delete(f"/messages/{entry.pk}"), 403, "not_author")
    assert Entry.objects.get(pk=entry.pk).body == "Room 4 today"


def test_outsiders_and_non_participants_get_404(world: World, api_as: Any) -> None:
    open_outsider(world)
    thread = staff_thread(world)
    entry = first_message(thread)
    for user in (world.co_clinician, world.admin, world.outsider_admin, world.client.user):
        api = api_as(user)
        error_of(api.patch(f"/messages/{entry.pk}", {"body": "x"}), 404)
        error_of(api.delete(f"/messages/{entry.pk}"), 404)
        error_of(api.get(f"/messages/{entry.pk}/versions"), 404)
    error_of(api_as(world.clinician).patch("/messages/999999", {"body": "x"}), 404)
    error_of(api_as(world.clinician).patch("/messages/abc", {"body": "x"}), 404)
    assert Entry.objects.get(pk=entry.pk).body == "Room 4 today"


def test_bad_edits_are_400_naming_the_body(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    entry = first_message(thread)
    clinician = api_as(world.clinician)
    field_error(clinician.patch(f"/messages/{entry.pk}", {"body": "   "}), "body")
    field_error(clinician.patch(f"/messages/{entry.pk}", {"body": "x" * 10_001}), "body")
    field_error(clinician.patch(f"/messages/{entry.pk}", {"body": "Room 4 today"}), "body")
    assert not EntryVersion.objects.exists()


def test_a_client_edits_their_own_message_on_their_thread(world: World, api_as: Any) -> None:
    client = api_as(world.client.user)
    created = client.post(
        "/threads", {"audience": "clinical", "subject": "Tuesday", "body": "Can we move it?"}
    )
    assert created.status_code == 201, created.content
    message_id = created.json()["timeline"][0]["id"]
    answer = client.patch(f"/messages/{message_id}", {"body": "Can we move it to 3 pm?"})
    assert answer.status_code == 200, answer.content
    seen = api_as(world.clinician).get(f"/threads/{created.json()['id']}").json()
    assert message_of(seen, message_id)["body"] == "Can we move it to 3 pm?"
