"""GET /api/v1/attachments/{id}: the thread's access, asked on every download,
for every persona; the headers; an audit row per download."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from huddle.attachments.models import Attachment
from huddle.audit.models import Action, AuditEvent
from huddle.clients.actions import update_client
from huddle.messaging.models import Thread
from tests.attachments.helpers import PDF, body_of, outsiders_on, uploaded
from tests.conftest import Api, World


def _staff_thread(world: World) -> tuple[str, str]:
    """A practice thread from the clinician to the biller with one file."""
    api = Api(world.clinician)
    attachment_id = uploaded(api, PDF, "claim.pdf")
    response = api.post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)]},
            "subject": "Claim",
            "body": "",
            "attachment_ids": [attachment_id],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["id"], attachment_id


def _client_thread(world: World) -> tuple[str, str]:
    """A client's clinical thread (to their assigned clinician) with one file."""
    api = Api(world.client.user)
    attachment_id = uploaded(api, PDF, "release form.pdf")
    response = api.post(
        "/threads",
        {
            "audience": "clinical",
            "subject": "Form",
            "body": "Signed.",
            "attachment_ids": [attachment_id],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()["id"], attachment_id


@pytest.fixture(autouse=True)
def _outsiders_on(world: World) -> None:
    outsiders_on(world)


def _downloads(world: World) -> int:
    return AuditEvent.objects.filter(action=Action.ATTACHMENT_DOWNLOADED).count()


def test_the_uploader_alone_may_download_before_sending(world: World) -> None:
    owner = Api(world.clinician)
    attachment_id = uploaded(owner, PDF)

    assert owner.get(f"/attachments/{attachment_id}").status_code == 200
    for other in (world.co_clinician, world.admin, world.outsider_admin, world.client.user):
        response = Api(other).get(f"/attachments/{attachment_id}")
        assert response.status_code == 404, other.name
        assert response.json()["error"]["code"] == "not_found"
    assert _downloads(world) == 1


def test_a_practice_thread_file_is_for_its_participants_only(world: World) -> None:
    thread_id, attachment_id = _staff_thread(world)
    path = f"/attachments/{attachment_id}"

    for insider in (world.clinician, world.biller):
        response = Api(insider).get(path)
        assert response.status_code == 200, insider.name
        assert body_of(response) == PDF
    # Not on the thread (a Practice Admin too), another practice, a client.
    for outsider in (
        world.co_clinician,
        world.admin,
        world.outsider_admin,
        world.outsider_clinician,
        world.client.user,
    ):
        assert Api(outsider).get(path).status_code == 404, outsider.name
    rows = AuditEvent.objects.filter(action=Action.ATTACHMENT_DOWNLOADED).order_by("pk")
    assert [(r.actor_id, r.object_id) for r in rows] == [
        (world.clinician.pk, int(thread_id)),
        (world.biller.pk, int(thread_id)),
    ]
    assert all(r.detail == f"download of attachment {attachment_id}" for r in rows)


def test_a_clinician_unassigned_from_the_client_loses_the_file_at_once(world: World) -> None:
    _, attachment_id = _client_thread(world)
    path = f"/attachments/{attachment_id}"
    clinician = Api(world.clinician)
    assert clinician.get(path).status_code == 200
    assert Api(world.client.user).get(path).status_code == 200
    # The co-clinician is not assigned; the other practice's people never see it.
    for outsider in (world.co_clinician, world.outsider_clinician, world.outsider_client.user):
        assert Api(outsider).get(path).status_code == 404, outsider.name

    update_client(actor=world.admin, client=world.client, clinician_ids=[world.co_clinician.pk])

    assert clinician.get(path).status_code == 404
    assert Api(world.co_clinician).get(path).status_code == 200
    assert _downloads(world) == 3


def test_deleting_the_thread_hides_the_file_from_that_person_only(world: World) -> None:
    thread_id, attachment_id = _staff_thread(world)
    assert Api(world.biller).delete(f"/threads/{thread_id}").status_code == 204

    assert Api(world.biller).get(f"/attachments/{attachment_id}").status_code == 404
    assert Api(world.clinician).get(f"/attachments/{attachment_id}").status_code == 200
    assert Attachment.objects.filter(pk=attachment_id).exists()
    assert Thread.objects.filter(pk=thread_id).exists()


def test_a_download_is_an_attachment_that_nothing_may_sniff_or_run(world: World) -> None:
    api = Api(world.clinician)
    attachment_id = uploaded(api, PDF, "Überweisung März.pdf")

    response: Any = api.get(f"/attachments/{attachment_id}")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(PDF))
    assert response["Content-Disposition"] == (
        "attachment; filename=\"_berweisung M_rz.pdf\"; filename*=UTF-8''"
        + quote("Überweisung März.pdf", safe="")
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Security-Policy"] == "default-src 'none'; sandbox; frame-ancestors 'none'"
    )
    assert response["Cache-Control"] == "no-store"
    assert body_of(response) == PDF


def test_ids_that_cannot_exist_and_signed_out_callers(world: World) -> None:
    _, attachment_id = _staff_thread(world)
    api = Api(world.clinician)

    assert api.get("/attachments/abc").status_code == 404
    assert api.get("/attachments/999999").status_code == 404
    assert Api(None).get(f"/attachments/{attachment_id}").status_code == 401
