"""Every Practice Admin page, as every persona: signed out goes to sign-in,
other staff roles get 403 with the reason, another practice's admin gets 404
for this practice's objects, and only the Practice Admin changes anything."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as HttpClient

from tests.conftest import PASSWORD, World
from tests.pages.helpers import (
    assert_admin_only,
    assert_not_found,
    assert_signin_redirect,
    snapshot,
    text,
)

# name -> (path builder, POST data builder). Each POST would change stored state.
PAGES: dict[str, tuple[Any, Any]] = {
    "settings": (
        lambda w: "/settings/secure-messaging",
        lambda w: {"auto_archive_days": "60", "session_idle_minutes": "45"},
    ),
    "locations": (lambda w: "/settings/locations/", lambda w: {"name": "Uptown"}),
    "location_edit": (
        lambda w: f"/settings/locations/{w.downtown.pk}",
        lambda w: {"name": "Midtown"},
    ),
    "staff_list": (lambda w: "/settings/staff/", None),
    "staff_new": (
        lambda w: "/settings/staff/new",
        lambda w: {
            "name": "Nora New",
            "email": "nora@maple.example",
            "roles": ["clinician"],
            "password": PASSWORD,
        },
    ),
    "staff_edit": (
        lambda w: f"/settings/staff/{w.clinician.pk}",
        lambda w: {"name": "Cleo Renamed", "email": "cleo@maple.example", "roles": ["clinician"]},
    ),
    "staff_active": (
        lambda w: f"/settings/staff/{w.clinician.pk}/active",
        lambda w: {"is_active": "false"},
    ),
    "client_list": (lambda w: "/settings/clients/", None),
    "client_new": (
        lambda w: "/settings/clients/new",
        lambda w: {"name": "Nico New", "email": "nico@client.example"},
    ),
    "client_edit": (
        lambda w: f"/settings/clients/{w.client.pk}",
        lambda w: {"name": "Casey Renamed", "email": "casey@client.example"},
    ),
    "audit_log": (lambda w: "/settings/audit", None),
}
GET_PAGES = [name for name in PAGES if name != "staff_active"]
POST_PAGES = [name for name, (_, data) in PAGES.items() if data is not None]
# Pages about one object of the practice: another practice must not find it.
OBJECT_PAGES = ["location_edit", "staff_edit", "staff_active", "client_edit"]
NON_ADMIN_ROLES = ["clinician", "biller", "scheduler"]


def path_of(world: World, name: str) -> str:
    return str(PAGES[name][0](world))


def data_of(world: World, name: str) -> dict[str, Any]:
    return dict(PAGES[name][1](world))


@pytest.mark.parametrize("name", GET_PAGES)
def test_practice_admin_opens_every_admin_page(world: World, page_as: Any, name: str) -> None:
    response = page_as(world.admin).get(path_of(world, name))
    assert response.status_code == 200
    assert "Sign out" in text(response)


@pytest.mark.parametrize("name", POST_PAGES)
def test_practice_admin_changes_are_stored(world: World, page_as: Any, name: str) -> None:
    before = snapshot(world.practice.pk)
    response = page_as(world.admin).post(path_of(world, name), data_of(world, name))
    assert response.status_code == 302, text(response)
    assert snapshot(world.practice.pk) != before


@pytest.mark.parametrize("name", GET_PAGES)
def test_signed_out_visitor_is_sent_to_sign_in(world: World, name: str) -> None:
    path = path_of(world, name)
    assert_signin_redirect(HttpClient().get(path), path)


@pytest.mark.parametrize("name", POST_PAGES)
def test_signed_out_post_changes_nothing(world: World, name: str) -> None:
    before = snapshot(world.practice.pk)
    path = path_of(world, name)
    assert_signin_redirect(HttpClient().post(path, data_of(world, name)), path)
    assert snapshot(world.practice.pk) == before


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
@pytest.mark.parametrize("name", GET_PAGES)
def test_other_staff_roles_are_told_only_admins_manage(
    world: World, page_as: Any, role: str, name: str
) -> None:
    assert_admin_only(page_as(getattr(world, role)).get(path_of(world, name)))


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
@pytest.mark.parametrize("name", POST_PAGES)
def test_other_staff_roles_change_nothing(world: World, page_as: Any, role: str, name: str) -> None:
    before = snapshot(world.practice.pk)
    assert_admin_only(
        page_as(getattr(world, role)).post(path_of(world, name), data_of(world, name))
    )
    assert snapshot(world.practice.pk) == before


@pytest.mark.parametrize("name", GET_PAGES)
def test_client_account_is_not_an_admin(world: World, page_as: Any, name: str) -> None:
    assert_admin_only(page_as(world.client.user).get(path_of(world, name)))


@pytest.mark.parametrize("name", [n for n in OBJECT_PAGES if n != "staff_active"])
def test_other_practice_admin_cannot_find_our_objects(
    world: World, page_as: Any, name: str
) -> None:
    assert_not_found(page_as(world.outsider_admin).get(path_of(world, name)))


@pytest.mark.parametrize("name", OBJECT_PAGES)
def test_other_practice_admin_changes_nothing_here(world: World, page_as: Any, name: str) -> None:
    before = snapshot(world.practice.pk)
    outsider_before = snapshot(world.outsider_practice.pk)
    response = page_as(world.outsider_admin).post(path_of(world, name), data_of(world, name))
    assert_not_found(response)
    assert snapshot(world.practice.pk) == before
    assert snapshot(world.outsider_practice.pk) == outsider_before


@pytest.mark.parametrize("name", ["staff_list", "client_list", "locations", "audit_log"])
def test_other_practice_admin_sees_only_own_practice(world: World, page_as: Any, name: str) -> None:
    body = text(page_as(world.outsider_admin).get(path_of(world, name)))
    for foreign in ("Cleo Clinician", "Casey Client", "Downtown", "Maple Counseling"):
        assert foreign not in body


def test_staff_page_does_not_find_a_client_account_by_id(world: World, page_as: Any) -> None:
    assert_not_found(page_as(world.admin).get(f"/settings/staff/{world.client.user.pk}"))


def test_client_page_does_not_find_a_missing_id(world: World, page_as: Any) -> None:
    assert_not_found(page_as(world.admin).get("/settings/clients/999999"))
