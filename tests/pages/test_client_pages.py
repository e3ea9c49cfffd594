"""Settings > Clients: listing, adding and editing client records."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from huddle.accounts.models import Kind, User
from huddle.clients.models import Client
from tests.conftest import World
from tests.pages.helpers import field_error, text

NEW = "/settings/clients/new"


def new_client(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Nico Newclient",
        "email": "nico@client.example",
        "clinicians": [str(world.clinician.pk), str(world.co_clinician.pk)],
        "portal_enabled": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_client_list_shows_clinicians_and_portal(world: World, page_as: Any) -> None:
    body = text(page_as(world.admin).get("/settings/clients/"))
    assert f'<a href="/settings/clients/{world.client.pk}">Casey Client</a>' in body
    assert "casey@client.example" in body
    assert "Cleo Clinician" in body
    assert '<span class="status ok">On</span>' in body
    assert "Oscar Outclient" not in body


def test_practice_without_clients_says_so(world: World, page_as: Any) -> None:
    Client.objects.filter(practice=world.outsider_practice).delete()
    body = text(page_as(world.outsider_admin).get("/settings/clients/"))
    assert "No clients yet." in body
    assert 'href="/settings/clients/new"' in body


def test_admin_adds_a_client(world: World, page_as: Any) -> None:
    http = page_as(world.admin)
    response = http.post(NEW, new_client(world))
    assert response.status_code == 302
    assert response["Location"] == "/settings/clients/"
    client = Client.objects.select_related("user").get(user__pending_email="nico@client.example")
    assert client.practice_id == world.practice.pk
    assert client.user.kind == Kind.CLIENT
    assert client.user.is_active
    assert {c.pk for c in client.clinicians.all()} == {world.clinician.pk, world.co_clinician.pk}
    assert "Nico Newclient was added." in text(http.get("/settings/clients/"))


def test_client_form_offers_only_this_practices_clinicians(world: World, page_as: Any) -> None:
    body = text(page_as(world.admin).get(NEW))
    assert "<legend>Assigned clinicians</legend>" in body
    assert "Cleo Clinician" in body
    assert "Cody Clinician" in body
    assert "Bill Biller" not in body
    assert "Olga Outside" not in body
    assert "Client portal access" in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "n" * 121}, "Ensure this value has at most 120 characters (it has 121)."),
        ({"name": ""}, "Enter a name."),
        ({"email": "nope"}, "Enter a valid email address."),
    ],
    ids=[
        "name-too-long",
        "name-blank",
        "bad-email",
    ],
)
def test_adding_a_client_with_a_bad_field_answers_400(
    world: World, page_as: Any, overrides: dict[str, Any], message: str
) -> None:
    count = Client.objects.count()
    response = page_as(world.admin).post(NEW, new_client(world, **overrides))
    field_error(response, message)
    assert Client.objects.count() == count


@pytest.mark.parametrize("who", ["outsider_clinician", "biller"])
def test_only_this_practices_clinicians_can_be_assigned(
    world: World, page_as: Any, who: str
) -> None:
    response = page_as(world.admin).post(
        NEW, new_client(world, clinicians=[str(getattr(world, who).pk)])
    )
    field_error(response, "Select a valid choice.")
    assert not User.objects.filter(pending_email="nico@client.example").exists()


def test_admin_edits_a_client_and_switches_portal_off(world: World, page_as: Any) -> None:
    portal = HttpClient()
    portal.force_login(world.client.user)
    path = f"/settings/clients/{world.client.pk}"
    http = page_as(world.admin)
    page = text(http.get(path))
    assert "<h1>Casey Client</h1>" in page
    assert 'value="casey@client.example"' in page
    response = http.post(
        path,
        {
            "name": "Casey Renamed",
            "email": "casey@client.example",
            "clinicians": [str(world.co_clinician.pk)],
        },
    )
    assert response.status_code == 302
    client = Client.objects.select_related("user").get(pk=world.client.pk)
    assert client.user.name == "Casey Renamed"
    assert not client.user.is_active
    assert [c.pk for c in client.clinicians.all()] == [world.co_clinician.pk]
    assert portal.get("/")["Location"] == "/signin?next=/"  # their session ended


def test_editing_a_client_to_a_taken_email_keeps_both_accounts(world: World, page_as: Any) -> None:
    path = f"/settings/clients/{world.client.pk}"
    response = page_as(world.admin).post(
        path, new_client(world, name="Casey Renamed", email="bill@maple.example")
    )
    assert response.status_code == 302  # the same answer as for a free address
    user = User.objects.get(pk=world.client.user.pk)
    assert (user.name, user.email) == ("Casey Renamed", "casey@client.example")
    assert User.objects.get(email="bill@maple.example") == world.biller


def test_client_names_are_shown_escaped(world: World, page_as: Any) -> None:
    evil = '<script>alert("x")</script>'
    http = page_as(world.admin)
    assert http.post(NEW, new_client(world, name=evil)).status_code == 302
    client = Client.objects.get(user__pending_email="nico@client.example")
    for path in ("/settings/clients/", f"/settings/clients/{client.pk}"):
        raw = http.get(path).content.decode()
        assert "<script>alert" not in raw
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in raw
