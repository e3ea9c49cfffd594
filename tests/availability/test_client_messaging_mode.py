"""Per-client messaging (F24): on, reply-only (the client answers staff threads
but starts none) or off (earlier threads read-only) - in the API, where a send
that is not allowed answers 403 and stores nothing, and on the portal, which
explains it and shows no button that would fail."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from huddle.audit.models import AuditEvent
from huddle.availability.client_mode import OFF, REPLY_ONLY
from huddle.clients.models import Client
from tests.api.helpers import error_of, field_error
from tests.client_messaging.helpers import created, start_as_client, start_with_client
from tests.conftest import Api, World
from tests.messaging.helpers import stored


def set_mode(world: World, mode: str) -> dict[str, Any]:
    response = Api(world.admin).patch(f"/clients/{world.client.pk}", {"messaging": mode})
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def portal(world: World) -> HttpClient:
    http = HttpClient()
    http.force_login(world.client.user)
    return http


def test_messaging_is_on_by_default_and_a_practice_admin_changes_it(world: World) -> None:
    assert Api(world.admin).get(f"/clients/{world.client.pk}").json()["messaging"] == "on"
    assert set_mode(world, "reply_only")["messaging"] == "reply_only"
    assert Client.objects.get(pk=world.client.pk).messaging == "reply_only"
    row = AuditEvent.objects.filter(action="client_edited", object_id=world.client.pk).last()
    assert row is not None and row.detail == "messaging"


@pytest.mark.parametrize("value", ["maybe", "", None, True, "ON"])
def test_a_wrong_mode_is_400_naming_messaging(world: World, value: Any) -> None:
    response = Api(world.admin).patch(f"/clients/{world.client.pk}", {"messaging": value})
    if value is None:  # left unchanged
        assert response.status_code == 200
    else:
        field_error(response, "messaging")
    assert Client.objects.get(pk=world.client.pk).messaging == "on"


def test_only_the_practice_admin_of_the_practice_changes_it(world: World) -> None:
    path = f"/clients/{world.client.pk}"
    error_of(Api(world.clinician).patch(path, {"messaging": "off"}), 403)
    error_of(Api(world.outsider_admin).patch(path, {"messaging": "off"}), 404)
    assert Client.objects.get(pk=world.client.pk).messaging == "on"


def test_reply_only_clients_answer_staff_threads_but_start_none(world: World) -> None:
    thread = created(start_with_client(Api(world.clinician), world.client))
    set_mode(world, "reply_only")
    client = Api(world.client.user)
    before = stored()
    refused = error_of(start_as_client(client, "clinical"), 403, "forbidden")
    assert refused["message"] == REPLY_ONLY
    assert stored() == before
    assert client.post(f"/threads/{thread}/messages", {"body": "Thanks"}).status_code == 201
    # Staff still start threads with them.
    assert start_with_client(Api(world.clinician), world.client).status_code == 201


def test_off_clients_read_their_threads_but_send_nothing(world: World) -> None:
    thread = created(start_with_client(Api(world.clinician), world.client))
    set_mode(world, "off")
    client = Api(world.client.user)
    assert client.get(f"/threads/{thread}").status_code == 200
    before = stored()
    assert (
        error_of(client.post(f"/threads/{thread}/messages", {"body": "Hi"}), 403)["message"] == OFF
    )
    error_of(start_as_client(client, "clinical"), 403)
    # Staff do not start threads with a client whose messaging is off.
    error_of(start_with_client(Api(world.clinician), world.client), 403)
    assert stored() == before


def test_the_portal_hides_new_for_reply_only_and_says_why(world: World) -> None:
    http = portal(world)
    page = http.get("/portal/").content.decode()
    assert "+ New" in page
    set_mode(world, "reply_only")
    page = http.get("/portal/").content.decode()
    assert "+ New" not in page
    assert "replies only" in page
    compose = http.get("/portal/new")
    assert compose.status_code == 403
    assert "Send Message" not in compose.content.decode()


def test_the_portal_thread_of_an_off_client_has_no_reply_box(world: World) -> None:
    thread = created(start_with_client(Api(world.clinician), world.client))
    http = portal(world)
    assert "Send reply" in http.get(f"/portal/{thread}").content.decode()
    set_mode(world, "off")
    page = http.get(f"/portal/{thread}").content.decode()
    assert "Send reply" not in page
    assert "turned messaging off for you" in page
