"""Emergency access (F16): with a reason, a clinician, supervisor, clinical admin
or Practice Admin sees and may answer all of one client's threads for
EMERGENCY_ACCESS_MINUTES; the threads show it to their staff (never the
client); audited; Practice Admins told. Nothing else opens a thread."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from huddle.audit.models import Action, AuditEvent
from huddle.messaging.models import Entry
from huddle.records.models import EmergencyAccess
from tests.conftest import World
from tests.notifications.smtp import Inbox
from tests.records.helpers import client_thread, outsider_thread, second_admin, staff_thread

REASON = "Client in crisis; Cleo unreachable"


def test_emergency_access_opens_the_clients_threads_for_an_hour(
    world: World, api_as: Any, page_as: Any
) -> None:
    thread = client_thread(world)
    api = api_as(world.co_clinician)
    assert api.get(f"/threads/{thread.pk}").status_code == 404

    opened = api.post(f"/clients/{world.client.pk}/emergency-access", {"reason": REASON})

    assert opened.status_code == 201
    assert opened.json()["client_id"] == str(world.client.pk)
    assert api.get(f"/threads/{thread.pk}").status_code == 200
    reply = api.post(f"/threads/{thread.pk}/messages", {"body": "I am covering for Cleo today."})
    assert reply.status_code == 201
    assert Entry.objects.filter(thread=thread, author=world.co_clinician).count() == 1
    page = page_as(world.co_clinician).get(f"/messages/{thread.pk}")
    assert page.status_code == 200
    assert (
        "Cody Clinician opened this thread (emergency access): " + REASON in page.content.decode()
    )
    row = AuditEvent.objects.get(action=Action.EMERGENCY_ACCESS)
    assert (row.actor_id, row.object_type, row.object_id) == (
        world.co_clinician.pk,
        "client",
        world.client.pk,
    )
    assert REASON not in row.detail

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        later = api_as(world.co_clinician)
        assert later.get(f"/threads/{thread.pk}").status_code == 404
        assert later.post(f"/threads/{thread.pk}/messages", {"body": "again"}).status_code == 404
        assert page_as(world.co_clinician).get(f"/messages/{thread.pk}").status_code == 404


def test_staff_participants_see_the_notice_and_the_client_never(
    world: World, api_as: Any, page_as: Any
) -> None:
    thread = client_thread(world)
    api_as(world.admin).post(f"/clients/{world.client.pk}/emergency-access", {"reason": REASON})
    notice = "Ada Admin opened this thread (emergency access)"

    assert notice in page_as(world.clinician).get(f"/messages/{thread.pk}").content.decode()
    portal = page_as(world.client.user).get(f"/portal/{thread.pk}")
    assert portal.status_code == 200
    assert notice not in portal.content.decode()
    assert REASON not in portal.content.decode()


def test_it_covers_only_that_clients_threads(world: World, api_as: Any) -> None:
    staff = staff_thread(world)
    api = api_as(world.admin)
    api.post(f"/clients/{world.client.pk}/emergency-access", {"reason": REASON})
    assert api.get(f"/threads/{staff.pk}").status_code == 404


def test_admins_get_404_without_it(world: World, api_as: Any, page_as: Any) -> None:
    thread = client_thread(world)
    assert api_as(world.admin).get(f"/threads/{thread.pk}").status_code == 404
    assert page_as(world.admin).get(f"/messages/{thread.pk}").status_code == 404


def test_roles_without_clinical_duty_may_not(world: World, api_as: Any) -> None:
    thread = client_thread(world)
    for user in (world.biller, world.scheduler, world.client.user):
        api = api_as(user)
        response = api.post(f"/clients/{world.client.pk}/emergency-access", {"reason": REASON})
        assert response.status_code == 403, user.name
    assert api_as(world.biller).get(f"/threads/{thread.pk}").status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_reason_and_client_are_checked(world: World, api_as: Any) -> None:
    theirs = outsider_thread(world)
    api = api_as(world.co_clinician)
    for payload in ({}, {"reason": "help"}, {"reason": "x" * 501}):
        response = api.post(f"/clients/{world.client.pk}/emergency-access", payload)
        assert response.status_code == 400
        assert "reason" in response.json()["error"]["fields"]
    other = api.post(f"/clients/{world.outsider_client.pk}/emergency-access", {"reason": REASON})
    assert other.status_code == 404
    assert api.post("/clients/999999/emergency-access", {"reason": REASON}).status_code == 404
    assert api.get(f"/threads/{theirs.pk}").status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_practice_admins_are_emailed_without_health_information(
    world: World, api_as: Any, smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    other = second_admin(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(world.co_clinician).post(
            f"/clients/{world.client.pk}/emergency-access", {"reason": REASON}
        )
    assert response.status_code == 201
    assert smtp.wait_for(2)
    assert sorted(smtp.recipients) == sorted([[world.admin.email], [other.email]])
    for raw in smtp.raw:
        text = raw.decode()
        assert "Emergency access was used" in text
        for secret in ("Casey", "Cody", "crisis", "Maple"):
            assert secret not in text
