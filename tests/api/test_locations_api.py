"""GET/POST /api/v1/locations and PATCH /api/v1/locations/{id}."""

from __future__ import annotations

import pytest

from huddle.administration.actions import create_location
from huddle.core import limits
from huddle.practices.models import Location
from tests.api.helpers import ApiAs, error_of, field_error, snapshot
from tests.conftest import Api, World


@pytest.fixture
def admin(world: World, api_as: ApiAs) -> Api:
    return api_as(world.admin)


def names(world: World) -> list[str]:
    return list(Location.objects.filter(practice=world.practice).values_list("name", flat=True))


def test_locations_list_this_practices_locations_by_name_with_string_ids(
    world: World, admin: Api
) -> None:
    create_location(actor=world.outsider_admin, name="Airport")

    response = admin.get("/locations")

    assert response.status_code == 200
    assert response.json() == {
        "items": [
            {"id": str(world.downtown.pk), "name": "Downtown"},
            {"id": str(world.eastside.pk), "name": "Eastside"},
        ],
        "next_cursor": None,
    }


def test_creating_a_location_answers_201_with_it(world: World, admin: Api) -> None:
    response = admin.post("/locations", {"name": "  North   Side "})

    assert response.status_code == 201
    body = response.json()
    stored = Location.objects.get(practice=world.practice, name="North Side")
    assert body == {"id": str(stored.pk), "name": "North Side"}
    assert isinstance(body["id"], str)


@pytest.mark.parametrize("name", ["Downtown", "downtown", "DOWNTOWN", " downTown "])
def test_a_duplicate_location_name_in_any_case_is_409(world: World, admin: Api, name: str) -> None:
    before = snapshot()

    response = admin.post("/locations", {"name": name})

    error = error_of(response, 409, "conflict")
    assert "name" in error["fields"]
    assert snapshot() == before


def test_another_practice_may_use_the_same_location_name(world: World, api_as: ApiAs) -> None:
    response = api_as(world.outsider_admin).post("/locations", {"name": "Downtown"})

    assert response.status_code == 201
    assert Location.objects.filter(name="Downtown").count() == 2
    assert names(world) == ["Downtown", "Eastside"]


def test_a_location_name_too_long_is_400_naming_the_field(world: World, admin: Api) -> None:
    before = snapshot()

    response = admin.post("/locations", {"name": "x" * (limits.LOCATION_NAME_MAX + 1)})

    field_error(response, "name")
    assert snapshot() == before


def test_a_location_name_at_the_limit_is_accepted(world: World, admin: Api) -> None:
    name = "x" * limits.LOCATION_NAME_MAX

    response = admin.post("/locations", {"name": name})

    assert response.status_code == 201
    assert name in names(world)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_a_blank_location_name_is_400(world: World, admin: Api, name: str) -> None:
    before = snapshot()

    field_error(admin.post("/locations", {"name": name}), "name")
    assert snapshot() == before


def test_renaming_a_location_answers_200_with_it(world: World, admin: Api) -> None:
    response = admin.patch(f"/locations/{world.downtown.pk}", {"name": "Midtown"})

    assert response.status_code == 200
    assert response.json() == {"id": str(world.downtown.pk), "name": "Midtown"}
    assert names(world) == ["Eastside", "Midtown"]


def test_renaming_a_location_to_its_own_name_in_another_case_is_allowed(
    world: World, admin: Api
) -> None:
    response = admin.patch(f"/locations/{world.downtown.pk}", {"name": "DownTown"})

    assert response.status_code == 200
    assert names(world) == ["DownTown", "Eastside"]


def test_renaming_a_location_to_anothers_name_is_409(world: World, admin: Api) -> None:
    before = snapshot()

    response = admin.patch(f"/locations/{world.downtown.pk}", {"name": "eastside"})

    error_of(response, 409, "conflict")
    assert snapshot() == before
