"""Every endpoint under /api/v1 as every persona (STYLE.md 8): the practice admin
may; other roles and clients get 403 with the reason; the outsider practice's admin
gets the very 404 a missing id gets; signed out is 401. Nothing changes on refusal."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from huddle.accounts.access import ADMIN_ONLY
from huddle.accounts.models import User
from tests.api.helpers import MATRIX_CELLS, ApiAs, error_of, snapshot
from tests.conftest import PASSWORD, Api, World


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # "{id}" stands for an object of `target`
    ok: int
    body: dict[str, Any] | None = None
    target: str | None = None  # "staff", "client" or "location"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, world: World, object_id: str | None = None) -> str:
        if self.target is None:
            return self.path
        if object_id is None:
            object_id = str(target_of(world, self.target))
        return self.path.replace("{id}", object_id)

    def call(self, api: Api, world: World, object_id: str | None = None) -> Any:
        return api.call(self.method, self.url(world, object_id), self.body)


def target_of(world: World, target: str) -> int:
    targets: dict[str, int] = {
        "staff": world.scheduler.pk,
        "client": world.client.pk,
        "location": world.downtown.pk,
    }
    return targets[target]


ADMIN_ENDPOINTS = [
    Endpoint("GET", "/practice/settings", 200),
    Endpoint("PATCH", "/practice/settings", 200, {"auto_archive_days": 60}),
    Endpoint("GET", "/locations", 200),
    Endpoint("POST", "/locations", 201, {"name": "Northside"}),
    Endpoint("PATCH", "/locations/{id}", 200, {"name": "Midtown"}, "location"),
    Endpoint("GET", "/staff", 200),
    Endpoint("POST", "/staff", 201, {"name": "N", "email": "n@maple.example", "roles": ["biller"]}),
    Endpoint("GET", "/staff/{id}", 200, None, "staff"),
    Endpoint("PATCH", "/staff/{id}", 200, {"name": "Renamed Person"}, "staff"),
    Endpoint("GET", "/clients", 200),
    Endpoint("POST", "/clients", 201, {"name": "N", "email": "n@client.example"}),
    Endpoint("GET", "/clients/{id}", 200, None, "client"),
    Endpoint("PATCH", "/clients/{id}", 200, {"name": "Renamed Person"}, "client"),
    Endpoint("POST", "/staff/{id}/sign-in-link", 200, None, "staff"),
    Endpoint("POST", "/clients/{id}/sign-in-link", 200, None, "client"),
    Endpoint("GET", "/audit", 200),
]
ID_ENDPOINTS = [e for e in ADMIN_ENDPOINTS if e.target]
# Open to every signed-in persona.
ME = Endpoint("GET", "/me", 200)
REVOKE = Endpoint("DELETE", "/auth/token", 204)
SIGN_IN = Endpoint("POST", "/auth/token", 201)
ALL_ENDPOINTS = [*ADMIN_ENDPOINTS, ME, REVOKE, SIGN_IN]

NON_ADMINS = ["clinician", "co_clinician", "biller", "scheduler", "client"]
EVERYONE = ["admin", *NON_ADMINS, "outsider_admin", "outsider_clinician", "outsider_client"]
NOT_IDS = ["abc", "0", "-1", "1.0", "1e3", "0x1", "\u0661", "9" * 19, "99999999999999999", "%00"]


def persona(world: World, name: str) -> User:
    who = getattr(world, name)
    return who if isinstance(who, User) else who.user


# The part of the API this matrix owns: sign-in and practice administration.
# (Messaging routes have their own tests.)
OWNED_PREFIXES = ("/auth/", "/practice/", "/locations", "/staff", "/clients", "/audit")
# Read by everyone of the practice, written by its admins: tests/availability/test_hours_api.py.
NOT_OWNED = {"GET /practice/hours", "PUT /practice/hours"}
# Records, with their own matrices: retention (admins only) in
# tests/records/test_retention_and_holds.py; emergency access (any clinician of
# the practice, with a reason) in tests/records/test_emergency_access.py.
NOT_OWNED |= {
    "GET /practice/retention",
    "PATCH /practice/retention",
    "POST /clients/{id}/emergency-access",
}


def test_the_matrix_covers_every_route_of_the_api(world: World, api_as: ApiAs) -> None:
    schema = api_as(None).get("/openapi.json").json()
    routes = {
        f"{method.upper()} {re.sub(r'{[^}]+}', '{id}', path.removeprefix('/api/v1'))}"
        for path, operations in schema["paths"].items()
        for method in operations
    }
    owned = {r for r in routes if r.split()[1].startswith(OWNED_PREFIXES) or r == "GET /me"}
    owned -= NOT_OWNED
    covered = {str(e) for e in ALL_ENDPOINTS}
    assert covered <= routes, covered - routes
    assert owned == covered, owned ^ covered
    # Each test below adds its cells to MATRIX_CELLS; tests/api/conftest.py prints the total.
    print(f"access matrix over {len(covered)} routes and {len(EVERYONE)} personas")


@pytest.mark.parametrize("endpoint", ADMIN_ENDPOINTS, ids=str)
def test_the_practice_admin_may_use_every_admin_endpoint(
    world: World, api_as: ApiAs, endpoint: Endpoint
) -> None:
    admin = api_as(world.admin)
    before = snapshot()

    response = endpoint.call(admin, world)

    MATRIX_CELLS.append(f"{endpoint} as admin")
    assert response.status_code == endpoint.ok, response.content
    body = response.json()
    if endpoint.method == "GET":
        assert snapshot() == before
    else:
        assert snapshot() != before
    if endpoint.target:
        assert body["id"] == str(target_of(world, endpoint.target))
    if "items" in body:
        assert body["items"]
        assert all(isinstance(item["id"], str) for item in body["items"])


@pytest.mark.parametrize("who", NON_ADMINS)
@pytest.mark.parametrize("endpoint", ADMIN_ENDPOINTS, ids=str)
def test_other_roles_and_clients_get_403_with_the_reason(
    world: World, api_as: ApiAs, endpoint: Endpoint, who: str
) -> None:
    api = api_as(persona(world, who))
    before = snapshot()

    response = endpoint.call(api, world)

    MATRIX_CELLS.append(f"{endpoint} as {who}")
    error = error_of(response, 403, "forbidden")
    assert error["message"] == ADMIN_ONLY
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", ID_ENDPOINTS, ids=str)
def test_the_outsider_admin_gets_the_same_404_as_for_a_missing_id(
    world: World, api_as: ApiAs, endpoint: Endpoint
) -> None:
    outsider = api_as(world.outsider_admin)
    admin = api_as(world.admin)
    before = snapshot()

    response = endpoint.call(outsider, world)
    missing_for_outsider = endpoint.call(outsider, world, "999999999")
    missing_for_admin = endpoint.call(admin, world, "999999999")

    MATRIX_CELLS.append(f"{endpoint} as outsider_admin")
    error_of(response, 404, "not_found")
    assert response.content == missing_for_outsider.content == missing_for_admin.content
    assert response.status_code == missing_for_outsider.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("not_an_id", NOT_IDS)
@pytest.mark.parametrize("endpoint", ID_ENDPOINTS, ids=str)
def test_an_id_that_cannot_be_one_is_404(
    world: World, api_as: ApiAs, endpoint: Endpoint, not_an_id: str
) -> None:
    admin = api_as(world.admin)
    missing = endpoint.call(admin, world, "999999999")
    before = snapshot()

    response = endpoint.call(admin, world, not_an_id)

    MATRIX_CELLS.append(f"{endpoint} with id {not_an_id!r}")
    error_of(response, 404, "not_found")
    assert response.content == missing.content
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", [*ADMIN_ENDPOINTS, ME, REVOKE], ids=str)
def test_signed_out_is_401_everywhere(world: World, api_as: ApiAs, endpoint: Endpoint) -> None:
    before = snapshot()

    response = endpoint.call(api_as(None), world)

    MATRIX_CELLS.append(f"{endpoint} signed out")
    error_of(response, 401, "not_authenticated")
    assert snapshot() == before


@pytest.mark.parametrize("who", EVERYONE)
def test_everyone_signs_in_sees_themself_and_signs_out(
    world: World, api_as: ApiAs, who: str
) -> None:
    user = persona(world, who)

    signed_in = api_as(None).post("/auth/token", {"email": user.email, "password": PASSWORD})
    assert signed_in.status_code == 201
    api = api_as(None)
    api.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
    me = ME.call(api, world)
    revoked = REVOKE.call(api, world)

    MATRIX_CELLS.extend(f"{e} as {who}" for e in (SIGN_IN, ME, REVOKE))
    assert me.status_code == 200
    assert me.json()["id"] == str(user.pk)
    assert me.json()["practice"]["id"] == str(user.practice_id)
    assert revoked.status_code == 204
    assert not user.api_tokens.exists()
    error_of(ME.call(api, world), 401, "not_authenticated")


@pytest.mark.parametrize("path", ["/staff", "/clients", "/locations"])
def test_the_outsider_admin_lists_only_their_own_practice(
    world: World, api_as: ApiAs, path: str
) -> None:
    response = api_as(world.outsider_admin).get(f"{path}?limit=200")

    MATRIX_CELLS.append(f"GET {path} as outsider_admin")
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    if path == "/locations":
        assert ids == set()
        return
    ours = {str(pk) for pk in world.practice.users.values_list("pk", flat=True)}
    theirs = {
        str(world.outsider_admin.pk),
        str(world.outsider_clinician.pk),
        str(world.outsider_client.pk),
    }
    assert ids
    assert ids <= theirs
    assert not ids & ours
