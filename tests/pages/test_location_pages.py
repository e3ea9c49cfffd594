"""Settings > Locations: listing, adding and renaming, with their errors."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.administration.actions import LOCATION_TAKEN
from huddle.practices.models import Location
from tests.conftest import World
from tests.pages.helpers import field_error, text


def names(world: World) -> list[str]:
    return sorted(Location.objects.filter(practice=world.practice).values_list("name", flat=True))


def test_locations_are_listed_with_rename_links(world: World, page_as: Any) -> None:
    body = text(page_as(world.admin).get("/settings/locations/"))
    assert "Downtown" in body
    assert "Eastside" in body
    assert f'href="/settings/locations/{world.downtown.pk}" aria-label="Rename Downtown"' in body
    assert '<label for="id_name">Location name</label>' in body


def test_practice_without_locations_says_so(world: World, page_as: Any) -> None:
    body = text(page_as(world.outsider_admin).get("/settings/locations/"))
    assert "No locations yet." in body


def test_admin_adds_a_location(world: World, page_as: Any) -> None:
    http = page_as(world.admin)
    response = http.post("/settings/locations/", {"name": "  Uptown   Annex "})
    assert response.status_code == 302
    assert names(world) == ["Downtown", "Eastside", "Uptown Annex"]
    assert "The location Uptown Annex was added." in text(http.get("/settings/locations/"))


def test_admin_renames_a_location(world: World, page_as: Any) -> None:
    path = f"/settings/locations/{world.downtown.pk}"
    http = page_as(world.admin)
    page = text(http.get(path))
    assert "Rename Downtown" in page
    assert 'value="Downtown"' in page
    response = http.post(path, {"name": "Midtown"})
    assert response.status_code == 302
    assert response["Location"] == "/settings/locations/"
    world.downtown.refresh_from_db()
    assert world.downtown.name == "Midtown"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("downtown", LOCATION_TAKEN),
        ("", "Enter the location's name."),
        ("x" * 81, "Ensure this value has at most 80 characters (it has 81)."),
    ],
    ids=["duplicate", "empty", "too-long"],
)
def test_adding_a_bad_location_answers_400(
    world: World, page_as: Any, name: str, message: str
) -> None:
    response = page_as(world.admin).post("/settings/locations/", {"name": name})
    field_error(response, message)
    assert names(world) == ["Downtown", "Eastside"]


def test_renaming_to_another_locations_name_is_refused(world: World, page_as: Any) -> None:
    response = page_as(world.admin).post(
        f"/settings/locations/{world.downtown.pk}", {"name": "EASTSIDE"}
    )
    field_error(response, LOCATION_TAKEN)
    assert "<h1>Rename Downtown</h1>" in text(response)
    assert names(world) == ["Downtown", "Eastside"]


def test_same_location_name_is_fine_in_another_practice(world: World, page_as: Any) -> None:
    response = page_as(world.outsider_admin).post("/settings/locations/", {"name": "Downtown"})
    assert response.status_code == 302
    assert Location.objects.filter(name="Downtown").count() == 2


def test_location_names_are_shown_escaped(world: World, page_as: Any) -> None:
    http = page_as(world.admin)
    http.post("/settings/locations/", {"name": "<img src=x onerror=alert(1)>"})
    raw = http.get("/settings/locations/").content.decode()
    assert "<img src=x" not in raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in raw
