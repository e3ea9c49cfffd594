"""GET/POST /api/v1/clients and GET/PATCH /api/v1/clients/{id}."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huddle.accounts.models import Kind, User
from huddle.clients.actions import create_client
from huddle.clients.models import Client
from huddle.core import limits
from tests.api.helpers import ApiAs, field_error, snapshot
from tests.conftest import Api, World

NEW = {"name": "Noor Newclient", "email": "noor@client.example"}


@pytest.fixture
def admin(world: World, api_as: ApiAs) -> Api:
    return api_as(world.admin)


def test_creating_a_client_answers_201_with_the_stored_record(world: World, admin: Api) -> None:
    body = {
        **NEW,
        "email": "NOOR@Client.example",
        "clinician_ids": [str(world.clinician.pk), world.co_clinician.pk],
        "portal_enabled": True,
    }

    response = admin.post("/clients", body)

    assert response.status_code == 201
    noor = Client.objects.select_related("user").get(user__pending_email="noor@client.example")
    assert response.json() == {
        "id": str(noor.pk),
        "name": "Noor Newclient",
        "email": "noor@client.example",
        "clinician_ids": sorted([str(world.clinician.pk), str(world.co_clinician.pk)]),
        "portal_enabled": True,
        "messaging": "on",
        "email_confirmed": False,
        "password_set": False,
    }
    assert noor.practice_id == world.practice.pk
    assert noor.user.kind == Kind.CLIENT
    assert noor.user.is_active is True
    assert not noor.user.has_usable_password()  # the client chooses it (invitation)
    assert set(noor.clinicians.all()) == {world.clinician, world.co_clinician}
    assert not noor.user.roles.exists()


def test_a_client_starts_without_portal_access(world: World, admin: Api) -> None:
    response = admin.post("/clients", NEW)

    assert response.status_code == 201
    assert response.json()["portal_enabled"] is False
    assert response.json()["clinician_ids"] == []
    user = User.objects.get(pending_email="noor@client.example")
    assert user.is_active is False
    assert not user.has_usable_password()


def test_getting_a_client_answers_their_record(world: World, admin: Api) -> None:
    response = admin.get(f"/clients/{world.client.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(world.client.pk),
        "name": "Casey Client",
        "email": "casey@client.example",
        "clinician_ids": [str(world.clinician.pk)],
        "portal_enabled": True,
        "messaging": "on",
        "email_confirmed": True,
        "password_set": True,
    }


def test_patching_a_client_stores_the_change(world: World, admin: Api) -> None:
    response = admin.patch(
        f"/clients/{world.client.pk}",
        {"name": "Casey Renamed", "clinician_ids": [str(world.co_clinician.pk)]},
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Casey Renamed"
    assert response.json()["clinician_ids"] == [str(world.co_clinician.pk)]
    world.client.refresh_from_db()
    assert world.client.user.name == "Casey Renamed"
    assert list(world.client.clinicians.all()) == [world.co_clinician]


@pytest.mark.parametrize(
    "email",
    ["casey@client.example", "CASEY@client.example", "ada@maple.example", "Oscar@Client.Example"],
)
def test_creating_a_client_with_an_email_in_use_answers_as_for_a_new_one(
    world: World, admin: Api, email: str
) -> None:
    """Issue 19, finding 2: the same 201 as for a new address; the address keeps
    its one account."""
    owner = User.objects.get(email=email.lower())

    response = admin.post("/clients", {**NEW, "email": email})

    assert response.status_code == 201
    assert response.json()["email"] == email.lower()
    assert User.objects.get(email=email.lower()) == owner


def test_changing_a_clients_email_to_a_staff_email_changes_no_account(
    world: World, admin: Api
) -> None:
    response = admin.patch(f"/clients/{world.client.pk}", {"email": "Olga@Other.example"})

    assert response.status_code == 200
    assert response.json()["email_confirmed"] is False
    world.client.user.refresh_from_db()
    assert world.client.user.email == "casey@client.example"
    assert User.objects.get(email="olga@other.example") == world.outsider_clinician


def test_a_client_name_too_long_is_400_naming_the_field(world: World, admin: Api) -> None:
    before = snapshot()
    name = "c" * (limits.NAME_MAX + 1)

    field_error(admin.post("/clients", {**NEW, "name": name}), "name")
    field_error(admin.patch(f"/clients/{world.client.pk}", {"name": name}), "name")
    assert snapshot() == before


def test_clinicians_of_another_practice_are_400_and_nothing_is_stored(
    world: World, admin: Api
) -> None:
    before = snapshot()
    theirs = str(world.outsider_clinician.pk)

    created = admin.post("/clients", {**NEW, "clinician_ids": [world.clinician.pk, theirs]})
    patched = admin.patch(
        f"/clients/{world.client.pk}", {"name": "Casey Renamed", "clinician_ids": [theirs]}
    )

    field_error(created, "clinician_ids")
    field_error(patched, "clinician_ids")
    assert snapshot() == before


@pytest.mark.parametrize("who", ["biller", "scheduler", "admin", "client", "nobody"])
def test_clinician_ids_that_are_not_clinicians_are_400(world: World, admin: Api, who: str) -> None:
    ids = {
        "biller": world.biller.pk,
        "scheduler": world.scheduler.pk,
        "admin": world.admin.pk,
        "client": world.client.pk,
        "nobody": 999999,
    }
    before = snapshot()

    response = admin.post("/clients", {**NEW, "clinician_ids": [str(ids[who])]})

    field_error(response, "clinician_ids")
    assert snapshot() == before


@pytest.mark.parametrize("password", ["too short", "qwerty123456", "noor@client.example"])
def test_a_weak_client_password_is_400_naming_the_field(
    world: World, admin: Api, password: str
) -> None:
    before = snapshot()

    created = admin.post("/clients", {**NEW, "portal_enabled": True, "password": password})
    patched = admin.patch(f"/clients/{world.client.pk}", {"password": password})

    field_error(created, "password")
    field_error(patched, "password")
    assert snapshot() == before


def test_an_admin_cannot_set_a_clients_password(world: World, admin: Api) -> None:
    """Issue 19, finding 1: a Practice Admin never chooses someone's password."""
    before = snapshot()

    response = admin.patch(
        f"/clients/{world.client.pk}", {"password": "another long passphrase here"}
    )

    field_error(response, "password")
    assert snapshot() == before


def test_the_client_list_pages_through_every_client_exactly_once(world: World, admin: Api) -> None:
    for i in range(9):
        create_client(
            actor=world.admin, name="Same Name" if i % 3 else f"Client {i}",
            email=f"c{i}@client.example", clinician_ids=[world.clinician.pk],
        )  # fmt: skip
    expected = {
        str(pk)
        for pk in Client.objects.filter(practice=world.practice).values_list("pk", flat=True)
    }
    seen: list[str] = []
    cursor = ""
    for _ in range(20):
        response = admin.get(f"/clients?limit=3{cursor}")
        assert response.status_code == 200
        page = response.json()
        seen += [item["id"] for item in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = f"&cursor={page['next_cursor']}"
    assert sorted(seen) == sorted(expected)
    assert len(seen) == len(set(seen)) == 10
    assert str(world.outsider_client.pk) not in seen


@pytest.mark.parametrize("query", ["cursor=!!!", "cursor=WyJhIl0", "limit=0", "limit=500"])
def test_bad_list_parameters_are_400_naming_them(world: World, admin: Api, query: str) -> None:
    field_error(admin.get(f"/clients?{query}"), query.split("=")[0])


def queries_for_client_list(world: World, admin: Api, count: int) -> int:
    Client.objects.filter(practice=world.practice).delete()
    for i in range(count):
        create_client(
            actor=world.admin, name=f"Client {i}", email=f"n{i}.{count}@client.example",
            clinician_ids=[world.clinician.pk, world.co_clinician.pk], portal_enabled=True,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as ctx:
        response = admin.get("/clients?limit=200")
    assert len(response.json()["items"]) == count
    return len(ctx.captured_queries)


def test_the_client_list_uses_as_many_queries_for_30_clients_as_for_3(
    world: World, admin: Api
) -> None:
    assert queries_for_client_list(world, admin, 3) == queries_for_client_list(world, admin, 30)


def test_a_deactivated_clinician_cannot_be_newly_assigned_but_stays_assigned(
    world: World, admin: Api
) -> None:
    cleo, cody = world.clinician, world.co_clinician
    client_id = str(world.client.pk)
    for person in (cleo, cody):
        assert admin.patch(f"/staff/{person.pk}", {"is_active": False}).status_code == 200
    # Cleo was assigned before her deactivation: the client keeps her.
    kept = admin.patch(f"/clients/{client_id}", {"name": "Casey C."})
    assert kept.status_code == 200
    assert kept.json()["clinician_ids"] == [str(cleo.pk)]
    again = admin.patch(f"/clients/{client_id}", {"clinician_ids": [str(cleo.pk)]})
    assert again.status_code == 200
    # Cody was never assigned: a deactivated clinician is not a new assignment.
    before = snapshot()
    refused = admin.patch(f"/clients/{client_id}", {"clinician_ids": [str(cleo.pk), str(cody.pk)]})
    field_error(refused, "clinician_ids")
    assert snapshot() == before
