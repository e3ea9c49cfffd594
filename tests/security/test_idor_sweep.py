"""The IDOR sweep: every route that takes an id, pages and API, read from the URL
conf, filled with the ids of A's objects and replayed by everyone who may not see
them — colleagues not on the thread, another client, non-admins for admin
objects, and the people of another practice — with every method, by session and
by token. Nobody gets a 2xx or a redirect, each answer is the one an id that
does not exist gets, no answer carries A's data, and nothing of A's changes."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.test import Client as HttpClient

from huddle.accounts.models import User
from huddle.messaging.groups import LOCATION_PREFIX
from tests.conftest import Api, World
from tests.security.breakin import (
    GRANTING_ROUTES,
    ID_KINDS,
    MARK,
    PAGE_METHODS,
    Owned,
    Route,
    all_routes,
    api_body,
    changed,
    make_owned,
    owned_ids,
    page_form,
    snapshot,
)

OUTSIDERS = ["outsider_admin", "outsider_clinician", "outsider_client"]
# Who may not see A's objects of each kind. Threads: the admin and colleagues not
# on them, another client of the practice. Admin objects: every non-admin.
ATTACKERS: dict[str, list[str]] = {
    "thread": ["admin", "clinician", "co_clinician", "scheduler", "client", *OUTSIDERS],
    "staff": ["clinician", "co_clinician", "biller", "scheduler", "client", *OUTSIDERS],
    "client": ["clinician", "co_clinician", "biller", "scheduler", "client", *OUTSIDERS],
    "location": ["clinician", "co_clinician", "biller", "scheduler", "client", *OUTSIDERS],
    # conversation: messages as their threads; drafts and scheduled items are A's alone.
    "message": ["admin", "clinician", "co_clinician", "scheduler", "client", *OUTSIDERS],
    "draft": ["admin", "clinician", "biller", "scheduler", "client", *OUTSIDERS],
    "scheduled": ["admin", "clinician", "biller", "scheduler", "client", *OUTSIDERS],
    "export": ["clinician", "co_clinician", "biller", "scheduler", "client", *OUTSIDERS],
    "hold": ["clinician", "co_clinician", "biller", "scheduler", "client", *OUTSIDERS],
}
# A file is its thread's: the same people may not see it.
ATTACKERS["attachment"] = ATTACKERS["thread"]
ADMIN_KINDS = {"staff", "client", "location", "export", "hold"}
MISSING_ID = 2_000_000_000  # no row has it


def persona(world: World, name: str) -> User:
    who = getattr(world, name)
    return who if isinstance(who, User) else who.user


def allowed(kind: str, attacker: str, route: Route) -> set[int]:
    """What a refusal may look like: 404, the answer for an id that does not
    exist; 403 from an admin-only route to a non-admin (whatever the id); 405
    from a page that does not take the method (whatever the id)."""
    statuses = {404}
    if kind in ADMIN_KINDS and attacker != "outsider_admin":
        statuses.add(403)
    if not route.is_api:
        statuses.add(405)
    return statuses


class Sweep:
    def __init__(self, world: World) -> None:
        self.world = world
        self.sessions: dict[str, HttpClient] = {}
        self.tokens: dict[str, Api] = {}
        self.requests = 0
        self.answered_2xx: list[str] = []
        self.refused_wrongly: list[str] = []
        self.leaks: list[str] = []
        self.told_apart: list[str] = []  # A's id answered unlike an id that does not exist

    def sign_in(self, names: set[str]) -> None:
        for name in sorted(names):
            http = HttpClient()
            http.force_login(persona(self.world, name))
            self.sessions[name] = http
            self.tokens[name] = Api(persona(self.world, name))

    def calls(self, route: Route, attacker: str) -> list[tuple[str, str, Any]]:
        """(method, how, call) for every method and way in the route takes."""
        if not route.is_api:
            http = self.sessions[attacker]
            return [
                (m, "session", lambda url, m=m: getattr(http, m.lower())(url, page_form()))
                for m in PAGE_METHODS
            ]
        found: list[tuple[str, str, Any]] = []
        for method in route.api_methods or ():
            body = api_body(method, route)
            token = self.tokens[attacker]
            session = Api(None)
            session.http = self.sessions[attacker]
            for how, api in (("token", token), ("session", session)):
                found.append((method, how, lambda url, m=method, a=api, b=body: a.call(m, url, b)))
        return found

    def run(self, route: Route, owned: Owned) -> None:
        kinds = [ID_KINDS[p] for p in route.params]
        fills = list(itertools.product(*(owned_ids(owned, k) for k in kinds)))
        missing = route.url(dict.fromkeys(route.params, MISSING_ID))
        for attacker in ATTACKERS[kinds[0]]:
            ok = set.intersection(*(allowed(k, attacker, route) for k in kinds))
            for method, how, call in self.calls(route, attacker):
                # The answer for an id that does not exist: A's ids must get the same.
                nobody = call(self.sent(route, missing)).status_code
                for values in fills:
                    path = route.url(dict(zip(route.params, values, strict=True)))
                    response = call(self.sent(route, path))
                    what = f"{method} {path} as {attacker} ({how})"
                    self.check(response, what, ok)
                    if response.status_code != nobody:
                        self.told_apart.append(f"{what}: {response.status_code}, not {nobody}")

    @staticmethod
    def sent(route: Route, path: str) -> str:
        """Api.call adds the /api/v1 prefix itself."""
        return path.removeprefix("/api/v1") if route.is_api else path

    def check(self, response: Any, what: str, ok: set[int]) -> None:
        self.requests += 1
        status = response.status_code
        if 200 <= status < 300:
            self.answered_2xx.append(f"{what}: {status}")
        if status not in ok:
            self.refused_wrongly.append(f"{what}: {status}, expected one of {sorted(ok)}")
        text = b"".join(response.streaming_content) if response.streaming else response.content
        if MARK.encode() in text:
            self.leaks.append(what)


def test_nobody_else_reaches_a_s_objects_through_any_route_with_an_id(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    owned = make_owned(world)
    routes = [r for r in all_routes() if r.params and str(r) not in GRANTING_ROUTES]
    unfilled = {f"{r} ({p})" for r in routes for p in r.params if p not in ID_KINDS}
    assert not unfilled, f"add these route parameters to ID_KINDS: {sorted(unfilled)}"
    assert {"thread", "staff", "client", "location"} <= {
        ID_KINDS[p] for r in routes for p in r.params
    }

    sweep = Sweep(world)
    sweep.sign_in({name for names in ATTACKERS.values() for name in names})
    before = snapshot()
    for route in routes:
        sweep.run(route, owned)
    after = snapshot()

    assert sweep.answered_2xx == []
    assert sweep.refused_wrongly == []
    assert sweep.leaks == []
    assert sweep.told_apart == [], "a refusal tells A's ids from ids that do not exist"
    assert changed(before, after) == [], "a refused request changed stored data"
    # The owner still sees everything as it was.
    owner_view = Api(owned.owner).get(f"/threads/{owned.staff_thread.pk}")
    assert owner_view.status_code == 200
    assert owner_view.json()["subject"] == f"{MARK} staff subject"
    assert [e["body"] for e in owner_view.json()["timeline"]] == [f"{MARK} staff body"]
    assert sweep.requests > 1000
    with capsys.disabled():
        print(
            f"\nIDOR sweep: {sweep.requests} requests, {len(sweep.answered_2xx)} answered 2xx, "
            f"{len(sweep.leaks)} bodies with another's data ({len(routes)} routes with an id; "
            f"{len(sweep.told_apart)} answers unlike those to an id that does not exist)"
        )


def body_ids(owned: Owned, world: World) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(attacker, method, path, body): A's ids carried in request bodies, not paths.
    Paths under /api/v1 are sent with a token, the others as page forms."""
    token = {"form_token": "2b7c8f0e-5d6a-4c1b-9e3f-0a1b2c3d4e5f"}
    mine = {"subject": "Pwned", "body": "Pwned"}
    to_owner = {"recipients": {"users": [owned.owner.pk], "groups": []}, **mine}
    to_group = {
        "recipients": {"users": [], "groups": [f"{LOCATION_PREFIX}{world.downtown.pk}"]},
        **mine,
    }
    to_client = {"client_id": owned.client.pk, "audience": "clinical", **mine}
    own_staff, own_client = world.outsider_clinician.pk, world.outsider_client.pk
    new = {"name": "Pwned Name", "email": "pwned@other.example"}
    return [
        ("outsider_clinician", "POST", "/api/v1/threads", to_owner),
        ("outsider_clinician", "POST", "/api/v1/threads", to_group),
        ("outsider_clinician", "POST", "/api/v1/threads", to_client),
        ("co_clinician", "POST", "/api/v1/threads", to_client),
        ("client", "POST", "/api/v1/threads", to_owner),
        ("client", "POST", "/api/v1/threads", to_client),
        ("outsider_admin", "POST", "/api/v1/staff", {**new, "location_ids": [owned.location.pk]}),
        (
            "outsider_admin",
            "PATCH",
            f"/api/v1/staff/{own_staff}",
            {"location_ids": [owned.location.pk]},
        ),
        ("outsider_admin", "POST", "/api/v1/clients", {**new, "clinician_ids": [owned.owner.pk]}),
        (
            "outsider_admin",
            "PATCH",
            f"/api/v1/clients/{own_client}",
            {"clinician_ids": [owned.owner.pk]},
        ),
        (
            "outsider_clinician",
            "POST",
            "/messages/new",
            {"recipients": [f"user:{owned.owner.pk}"], **mine, **token},
        ),
        (
            "outsider_clinician",
            "POST",
            "/messages/new?view=clients",
            {"client": owned.client.pk, "audience": "clinical", **mine, **token},
        ),
        (
            "co_clinician",
            "POST",
            "/messages/new?view=clients",
            {"client": owned.client.pk, "audience": "clinical", **mine, **token},
        ),
        (
            "outsider_admin",
            "POST",
            "/settings/staff/new",
            {**new, "roles": ["clinician"], "locations": [owned.location.pk]},
        ),
        (
            "outsider_admin",
            "POST",
            f"/settings/staff/{own_staff}",
            {**new, "roles": ["clinician"], "locations": [owned.location.pk]},
        ),
        (
            "outsider_admin",
            "POST",
            "/settings/clients/new",
            {**new, "clinicians": [owned.owner.pk]},
        ),
        (
            "outsider_admin",
            "POST",
            f"/settings/clients/{own_client}",
            {**new, "clinicians": [owned.owner.pk]},
        ),
    ]


def test_ids_of_a_s_objects_in_request_bodies_are_refused(world: World) -> None:
    """Recipients, clients, clinicians and locations named by id in a body: another
    practice's (or another clinician's client) answer 400 or 404, like an unknown id."""
    owned = make_owned(world)
    cases = body_ids(owned, world)
    before = snapshot()
    for attacker, method, path, body in cases:
        user = persona(world, attacker)
        if path.startswith("/api/v1/"):
            response = Api(user).call(method, path.removeprefix("/api/v1"), body)
        else:
            http = HttpClient()
            http.force_login(user)
            response = http.post(path, body)
        assert response.status_code in (400, 404), (attacker, method, path, response.content)
        assert MARK.encode() not in response.content, (attacker, method, path)
    assert changed(before, snapshot()) == []
