"""Thread export (F12): a participant saves a thread as PDF or JSON; audited;
404 for anyone who may not see the thread."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from huddle.audit.models import Action, AuditEvent
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from tests.conftest import World
from tests.records.helpers import client_thread, staff_thread


def test_participant_exports_thread_as_json_exactly_as_stored(world: World, api_as: Any) -> None:
    thread = staff_thread(world, body="Line one\nLine two — ünïcode ✓")
    participation = get_participation(world.co_clinician, thread.pk)
    actions.reply(author=world.co_clinician, participation=participation, body="  spaced  reply")
    actions.edit_header(
        editor=world.co_clinician, participation=participation, subject="New subject"
    )

    response = api_as(world.co_clinician).get(f"/threads/{thread.pk}/export?format=json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["thread"]["subject"] == "New subject"
    bodies = [i["body"] for i in document["timeline"] if i["type"] == "message"]
    assert bodies == ["Line one\nLine two — ünïcode ✓", "spaced  reply"]
    change = next(i for i in document["timeline"] if i["type"] == "header_changed")
    assert (change["from"], change["to"], change["by"]["name"]) == (
        "Team notes",
        "New subject",
        "Cody Clinician",
    )
    names = {p["name"] for p in document["participants"]}
    assert names == {"Cleo Clinician", "Cody Clinician", "Bill Biller"}
    row = AuditEvent.objects.get(action=Action.THREAD_EXPORTED)
    assert (row.actor_id, row.object_id, row.detail) == (world.co_clinician.pk, thread.pk, "json")


def test_participant_saves_thread_as_pdf(world: World, api_as: Any) -> None:
    thread = staff_thread(world, body="Ünïcode and emoji-free text ✓")

    response = api_as(world.clinician).get(f"/threads/{thread.pk}/export")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert b"/Type /Page" in response.content
    assert AuditEvent.objects.filter(action=Action.THREAD_EXPORTED, detail="pdf").count() == 1


def test_pdf_of_a_long_thread_has_numbered_pages(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    participation = get_participation(world.co_clinician, thread.pk)
    for n in range(60):
        actions.reply(author=world.co_clinician, participation=participation, body=f"Reply {n}")

    response = api_as(world.clinician).get(f"/threads/{thread.pk}/export?format=pdf")

    assert response.status_code == 200
    assert b"/Count " in response.content
    count = int(response.content.split(b"/Count ")[1].split(maxsplit=1)[0].rstrip(b">/"))
    assert count >= 2


def test_client_exports_own_thread_without_staff_notices(world: World, api_as: Any) -> None:
    thread = client_thread(world)

    response = api_as(world.client.user).get(f"/threads/{thread.pk}/export?format=json")

    assert response.status_code == 200
    assert json.loads(response.content)["emergency_access"] == []


def test_outsiders_and_non_participants_get_404(world: World, api_as: Any) -> None:
    thread = staff_thread(world)
    for user in (world.admin, world.scheduler, world.outsider_admin, world.outsider_clinician):
        response = api_as(user).get(f"/threads/{thread.pk}/export?format=json")
        assert response.status_code == 404, user.name
    assert api_as(None).get(f"/threads/{thread.pk}/export").status_code == 401
    assert not AuditEvent.objects.filter(action=Action.THREAD_EXPORTED).exists()


def test_unknown_format_is_400_naming_the_field(world: World, api_as: Any) -> None:
    thread = staff_thread(world)

    response = api_as(world.clinician).get(f"/threads/{thread.pk}/export?format=docx")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"format": "Input should be 'pdf' or 'json'."}
    assert not AuditEvent.objects.filter(action=Action.THREAD_EXPORTED).exists()


def test_pdf_without_a_unicode_font_still_exports_and_json_stays_exact(
    world: World, api_as: Any, settings: Any
) -> None:
    settings.RECORDS_PDF_FONT = "/nonexistent/font.ttf"
    thread = staff_thread(world, body="Checkmark ✓ and 漢字")
    api = api_as(world.clinician)

    pdf = api.get(f"/threads/{thread.pk}/export?format=pdf")
    document = json.loads(api.get(f"/threads/{thread.pk}/export?format=json").content)

    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    assert b"DejaVu" not in pdf.content
    assert document["timeline"][0]["body"] == "Checkmark ✓ and 漢字"


def test_pdf_with_the_unicode_font_embeds_it(world: World, api_as: Any, settings: Any) -> None:
    thread = staff_thread(world, body="Checkmark ✓")
    pdf = api_as(world.clinician).get(f"/threads/{thread.pk}/export?format=pdf")
    assert pdf.status_code == 200
    assert (b"DejaVu" in pdf.content) == Path(settings.RECORDS_PDF_FONT).is_file()
