"""Every thread endpoint as every persona (STYLE.md 8, F11): participants may;
anyone else in the practice, the Practice Admin included, gets 404; another
practice gets the very 404 a missing id gets; a client gets 404; signed out is
401. Nothing stored changes on refusal."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.accounts.models import User
from huddle.administration.actions import update_messaging_settings
from tests.api.helpers import error_of
from tests.conftest import World
from tests.messaging.helpers import ACCESS_CELLS, sent, stored

# (method, path, body, success status)
THREAD_ENDPOINTS: list[tuple[str, str, dict[str, Any] | None, int]] = [
    ("GET", "/threads/{id}", None, 200),
    ("PATCH", "/threads/{id}", {"subject": "A new header"}, 200),
    ("DELETE", "/threads/{id}", None, 204),
    ("POST", "/threads/{id}/messages", {"body": "A reply"}, 201),
    ("POST", "/threads/{id}/read", None, 200),
    ("POST", "/threads/{id}/unread", None, 200),
    ("POST", "/threads/{id}/archive", None, 200),
    ("POST", "/threads/{id}/unarchive", None, 200),
]
LIST_ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/recipients", None),
    ("POST", "/recipients", {"q": "bi"}),
    ("GET", "/threads?view=practice", None),
    ("GET", "/threads?view=practice&folder=archived", None),
    (
        "POST",
        "/threads",
        {"recipients": {"users": [], "groups": ["all_staff"]}, "subject": "S", "body": "B"},
    ),
]
NOT_IDS = ["abc", "0", "-1", "1.0", "1e3", "0x1", "\u0661", "9" * 19, " 1", "%00"]
ids = [f"{m} {p}" for m, p, _, _ in THREAD_ENDPOINTS]


def persona(world: World, name: str) -> User:
    who = getattr(world, name)
    return who if isinstance(who, User) else who.user


@pytest.mark.parametrize("who", ["clinician", "biller"])
@pytest.mark.parametrize(("method", "path", "body", "ok"), THREAD_ENDPOINTS, ids=ids)
def test_participants_may_use_every_thread_endpoint(
    world: World, api_as: Any, who: str, method: str, path: str, body: Any, ok: int
) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller])
    before = stored()

    response = api_as(persona(world, who)).call(method, path.replace("{id}", thread), body)

    ACCESS_CELLS.append(f"{method} {path} as {who}")
    assert response.status_code == ok, response.content
    if not path.endswith(("}", "/read", "/unread", "/unarchive")) or method in ("PATCH", "DELETE"):
        assert stored() != before  # read, unread and unarchive may already be so


@pytest.mark.parametrize("who", ["admin", "scheduler", "co_clinician", "client"])
@pytest.mark.parametrize(("method", "path", "body", "ok"), THREAD_ENDPOINTS, ids=ids)
def test_others_in_the_practice_get_404_even_the_practice_admin(
    world: World, api_as: Any, who: str, method: str, path: str, body: Any, ok: int
) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller])
    api = api_as(persona(world, who))
    missing = api.call(method, path.replace("{id}", "987654321"), body)
    before = stored()

    response = api.call(method, path.replace("{id}", thread), body)

    ACCESS_CELLS.append(f"{method} {path} as {who}")
    error_of(response, 404, "not_found")
    assert response.content == missing.content
    assert stored() == before


@pytest.mark.parametrize("messaging_on", [False, True], ids=["their-messaging-off", "on"])
@pytest.mark.parametrize("who", ["outsider_admin", "outsider_clinician", "outsider_client"])
@pytest.mark.parametrize(("method", "path", "body", "ok"), THREAD_ENDPOINTS, ids=ids)
def test_another_practice_gets_the_404_of_a_missing_id(
    world: World,
    api_as: Any,
    who: str,
    messaging_on: bool,
    method: str,
    path: str,
    body: Any,
    ok: int,
) -> None:
    if messaging_on:
        update_messaging_settings(
            actor=world.outsider_admin,
            secure_messaging_enabled=True,
            practice_messaging_enabled=True,
        )
    thread = sent(api_as(world.clinician), users=[world.biller])
    api = api_as(persona(world, who))
    missing = api.call(method, path.replace("{id}", str(int(thread) + 1000)), body)
    before = stored()

    response = api.call(method, path.replace("{id}", thread), body)

    ACCESS_CELLS.append(f"{method} {path} as {who}")
    error_of(response, 404, "not_found")
    assert response.content == missing.content
    assert stored() == before


@pytest.mark.parametrize("not_an_id", NOT_IDS)
@pytest.mark.parametrize(("method", "path", "body", "ok"), THREAD_ENDPOINTS, ids=ids)
def test_ids_that_cannot_be_ids_are_404(
    world: World, api_as: Any, not_an_id: str, method: str, path: str, body: Any, ok: int
) -> None:
    sent(api_as(world.clinician), users=[world.biller])
    before = stored()

    response = api_as(world.clinician).call(method, path.replace("{id}", not_an_id), body)

    ACCESS_CELLS.append(f"{method} {path} with id {not_an_id!r}")
    error_of(response, 404, "not_found")
    assert stored() == before


@pytest.mark.parametrize(("method", "path", "body"), LIST_ENDPOINTS, ids=lambda v: str(v))
def test_a_client_cannot_reach_practice_messaging(
    world: World, api_as: Any, method: str, path: str, body: Any
) -> None:
    sent(api_as(world.clinician), users=[world.biller])
    before = stored()

    response = api_as(world.client.user).call(method, path, body)

    ACCESS_CELLS.append(f"{method} {path} as client")
    assert response.status_code in (403, 404), response.content
    error_of(response, response.status_code)
    assert stored() == before


def test_a_client_lists_no_practice_threads_in_the_clients_view(world: World, api_as: Any) -> None:
    sent(api_as(world.clinician), users=[world.biller], subject="About staff")

    response = api_as(world.client.user).get("/threads?view=clients")

    ACCESS_CELLS.append("GET /threads?view=clients as client")
    assert response.status_code == 200, response.content
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [(m, p, b) for m, p, b, _ in THREAD_ENDPOINTS] + LIST_ENDPOINTS,
    ids=lambda v: str(v),
)
def test_signed_out_is_401_everywhere(
    world: World, api_as: Any, method: str, path: str, body: Any
) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller])
    before = stored()

    for thread_id in (thread, "987654321", "abc"):
        response = api_as(None).call(method, path.replace("{id}", thread_id), body)
        ACCESS_CELLS.append(f"{method} {path} signed out")
        error_of(response, 401, "not_authenticated")
    assert stored() == before


def test_outsiders_never_see_the_practices_threads_in_lists(world: World, api_as: Any) -> None:
    update_messaging_settings(
        actor=world.outsider_admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    sent(api_as(world.clinician), users=[world.biller])

    for who in ("outsider_admin", "outsider_clinician", "admin", "scheduler"):
        api = api_as(persona(world, who))
        for folder in ("inbox", "archived"):
            response = api.get(f"/threads?folder={folder}")
            ACCESS_CELLS.append(f"GET /threads?folder={folder} as {who}")
            assert response.status_code == 200, response.content
            assert response.json()["items"] == []
        assert api.get("/me").json()["unread"]["practice"] == 0
