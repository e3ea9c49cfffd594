"""Editing the thread header (F6): any participant may; everyone sees who
changed it from what to what and when; it is never an unread message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from huddle.messaging.models import Entry, EntryKind, Participant, Thread
from tests.api.helpers import field_error
from tests.conftest import World
from tests.messaging.helpers import listed, sent, stored, unread


def states() -> list[tuple[int, int, bool, datetime]]:
    return list(
        Participant.objects.order_by("pk").values_list(
            "user_id", "unread_count", "archived", "activity_at"
        )
    )


@pytest.mark.parametrize("editor", ["clinician", "biller"])
def test_any_participant_can_change_the_header(world: World, api_as: Any, editor: str) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller], subject="Claim")
    who = getattr(world, editor)

    response = api_as(who).patch(f"/threads/{thread}", {"subject": "  Claim   2231 "})

    assert response.status_code == 200, response.content
    change = response.json()
    assert change["type"] == "header_changed"
    assert change["by"] == {"id": str(who.pk), "name": who.name}
    assert (change["from"], change["to"]) == ("Claim", "Claim 2231")
    assert datetime.fromisoformat(change["at"]).tzinfo is not None
    assert Thread.objects.get().subject == "Claim 2231"
    entry = Entry.objects.get(kind=EntryKind.HEADER_CHANGED)
    assert (entry.author, entry.old_subject, entry.new_subject) == (who, "Claim", "Claim 2231")


def test_every_participant_sees_the_notice_in_the_timeline(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    thread = sent(clinician, users=[world.biller], subject="Claim")
    change = biller.patch(f"/threads/{thread}", {"subject": "Claim 2231"}).json()

    for api in (clinician, biller):
        body = api.get(f"/threads/{thread}").json()
        assert body["subject"] == "Claim 2231"
        notice = body["timeline"][-1]
        assert notice == change
        assert set(notice) >= {"type", "by", "from", "to", "at"}
        assert listed(api)[thread]["subject"] == "Claim 2231"


def test_a_header_change_is_not_an_unread_message(world: World, api_as: Any) -> None:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    scheduler = api_as(world.scheduler)
    thread = sent(clinician, users=[world.biller, world.scheduler], subject="Claim")
    assert biller.get(f"/threads/{thread}").status_code == 200
    assert scheduler.post(f"/threads/{thread}/archive").status_code == 200
    before = states()

    assert clinician.patch(f"/threads/{thread}", {"subject": "Claim 2231"}).status_code == 200

    assert states() == before
    assert (unread(clinician), unread(biller), unread(scheduler)) == (0, 0, 1)
    assert listed(biller)[thread]["unread_count"] == 0
    assert listed(scheduler) == {}  # still archived: not a new message
    last = listed(biller)[thread]["last_message"]
    assert last["snippet"] == "Can you look at this claim?"


@pytest.mark.parametrize("subject", ["", "   ", "\n\t", "x" * 201])
def test_an_empty_or_too_long_header_is_refused(world: World, api_as: Any, subject: str) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller], subject="Claim")
    before = stored()

    response = api_as(world.biller).patch(f"/threads/{thread}", {"subject": subject})

    field_error(response, "subject")
    assert stored() == before


def test_a_header_of_200_characters_is_kept(world: World, api_as: Any) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller], subject="Claim")

    response = api_as(world.biller).patch(f"/threads/{thread}", {"subject": "h" * 200})

    assert response.status_code == 200, response.content
    assert Thread.objects.get().subject == "h" * 200


@pytest.mark.parametrize("subject", ["Claim", "  Claim ", "Claim\n"])
def test_the_same_header_again_is_refused(world: World, api_as: Any, subject: str) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller], subject="Claim")
    before = stored()

    response = api_as(world.biller).patch(f"/threads/{thread}", {"subject": subject})

    field_error(response, "subject")
    assert stored() == before


@pytest.mark.parametrize("payload", [{}, {"subject": None}, {"subject": 5}, {"title": "New"}])
def test_a_malformed_header_change_is_refused(
    world: World, api_as: Any, payload: dict[str, Any]
) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller], subject="Claim")
    before = stored()

    response = api_as(world.biller).patch(f"/threads/{thread}", payload)

    assert response.status_code == 400, response.content
    assert stored() == before
