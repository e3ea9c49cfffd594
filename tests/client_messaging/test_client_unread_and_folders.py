"""Unread counts, dots, header edits, archive, delete and auto-archive work in
client threads as in practice threads, per user (F2, F5, F6, F7, F10)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.api.helpers import error_of
from tests.client_messaging.helpers import (
    Cast,
    client_threads,
    created,
    start_as_client,
    start_with_client,
    unread_of,
)
from tests.messaging.helpers import backdate, sent


def test_me_counts_client_messages_apart_from_practice_messages(cast: Cast, api_as: Any) -> None:
    world = cast.world
    client, cleo, admin = api_as(world.client.user), api_as(world.clinician), api_as(world.admin)
    assert unread_of(client) == {"practice": 0, "clients": 0}

    thread = created(start_as_client(client, "clinical"))
    client.post(f"/threads/{thread}/messages", {"body": "And one more thing."})
    assert unread_of(cleo) == {"practice": 0, "clients": 2}
    assert unread_of(client) == {"practice": 0, "clients": 0}, "one's own messages are read"

    sent(admin, users=[world.clinician], subject="Staff meeting")
    assert unread_of(cleo) == {"practice": 1, "clients": 2}

    cleo.post(f"/threads/{thread}/messages", {"body": "Noted, thanks."})
    assert unread_of(client) == {"practice": 0, "clients": 1}
    assert client_threads(client)[thread]["unread_count"] == 1
    assert unread_of(cleo) == {"practice": 1, "clients": 0}, "replying reads the thread"

    staff_started = created(start_with_client(api_as(world.biller), world.client, "billing"))
    assert unread_of(client)["clients"] == 2
    client.get(f"/threads/{staff_started}")
    assert unread_of(client) == {"practice": 0, "clients": 1}
    assert client_threads(client)[staff_started]["unread_count"] == 0
    # Reading the practice thread leaves the clients count alone, and back.
    practice = next(iter(api_as(world.clinician).get("/threads?view=practice").json()["items"]))
    cleo.get(f"/threads/{practice['id']}")
    assert unread_of(cleo) == {"practice": 0, "clients": 0}


def test_a_header_edit_shows_a_notice_and_is_not_unread(cast: Cast, api_as: Any) -> None:
    world = cast.world
    client, cleo = api_as(world.client.user), api_as(world.clinician)
    thread = created(start_as_client(client, "clinical", subject="Sleep"))
    cleo.get(f"/threads/{thread}")

    edit = client.patch(f"/threads/{thread}", {"subject": "Sleep and stress"})
    assert edit.status_code == 200, edit.content
    assert (edit.json()["from"], edit.json()["to"]) == ("Sleep", "Sleep and stress")
    assert unread_of(cleo)["clients"] == 0
    assert client_threads(cleo)[thread]["unread_count"] == 0
    timeline = cleo.get(f"/threads/{thread}").json()["timeline"]
    notice = timeline[-1]
    assert notice["type"] == "header_changed"
    assert (notice["by"]["id"], notice["from"], notice["to"]) == (
        str(world.client.pk),
        "Sleep",
        "Sleep and stress",
    )
    assert client_threads(api_as(cast.lead))[thread]["subject"] == "Sleep and stress"


def test_archive_and_unarchive_are_per_user(cast: Cast, api_as: Any) -> None:
    world = cast.world
    client, bill = api_as(world.client.user), api_as(world.biller)
    thread = created(start_as_client(client, "billing"))

    assert client.post(f"/threads/{thread}/archive").json()["archived"] is True
    assert thread in client_threads(client, "archived") and thread not in client_threads(client)
    assert thread in client_threads(bill), "the biller keeps it in the Inbox"
    assert bill.post(f"/threads/{thread}/archive").status_code == 200
    assert client.post(f"/threads/{thread}/unarchive").json()["archived"] is False
    assert thread in client_threads(client)
    assert thread in client_threads(bill, "archived")

    bill.post(f"/threads/{thread}/messages", {"body": "Fixed the charge."})
    assert thread in client_threads(bill), "a reply brings it back to the Inbox"
    assert thread in client_threads(client)


def test_delete_is_per_user_and_a_reply_brings_the_thread_back(cast: Cast, api_as: Any) -> None:
    world = cast.world
    client, sky, ada = api_as(world.client.user), api_as(world.scheduler), api_as(world.admin)
    thread = created(start_as_client(client, "administrative", subject="Parking"))
    assert sky.delete(f"/threads/{thread}").status_code == 204
    error_of(sky.get(f"/threads/{thread}"), 404, "not_found")
    assert thread not in client_threads(sky) and thread not in client_threads(sky, "archived")
    assert unread_of(sky)["clients"] == 0
    assert thread in client_threads(ada)

    assert client.delete(f"/threads/{thread}").status_code == 204
    assert client_threads(client) == {}
    ada.post(f"/threads/{thread}/messages", {"body": "Use the lot behind the building."})

    for api in (client, sky):
        assert client_threads(api)[thread]["unread_count"] == 1
        timeline = api.get(f"/threads/{thread}").json()["timeline"]
        assert [e["body"] for e in timeline] == ["Hello", "Use the lot behind the building."]


def test_auto_archive_applies_to_client_threads(cast: Cast, api_as: Any) -> None:
    world = cast.world
    client, cleo, admin = api_as(world.client.user), api_as(world.clinician), api_as(world.admin)
    old = created(start_as_client(client, "clinical", subject="Old"))
    fresh = created(start_as_client(client, "clinical", subject="Fresh"))
    backdate(old, timezone.now() - timedelta(days=31))

    for api in (client, cleo):
        assert set(client_threads(api)) == {fresh}
        archived = client_threads(api, "archived")
        assert set(archived) == {old} and archived[old]["archived"] is True

    # A longer period brings it back for everyone, at once.
    assert admin.patch("/practice/settings", {"auto_archive_days": 60}).status_code == 200
    assert set(client_threads(cleo)) == {old, fresh}
    assert admin.patch("/practice/settings", {"auto_archive_days": 30}).status_code == 200

    # Moving it back to the Inbox is for that user only; a reply is for everyone.
    assert cleo.post(f"/threads/{old}/unarchive").json()["archived"] is False
    assert old in client_threads(cleo) and old not in client_threads(client)
    cleo.post(f"/threads/{old}/messages", {"body": "Checking in."})
    assert old in client_threads(client)
    assert old in client_threads(api_as(cast.supervisor))
