"""The Client Messaging access matrix (F10, F11): every persona x audience x
operation on a client's threads, checked through the API. The expected answer
comes from the rules, in `expected`; a refusal changes nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.accounts.models import User
from tests.api.helpers import error_of, field_error
from tests.client_messaging.helpers import (
    AUDIENCES,
    CLIENT_CELLS,
    Cast,
    client_threads,
    created,
    start_as_client,
    start_with_client,
)
from tests.conftest import Api
from tests.messaging.helpers import stored

WHO = [
    "scheduler",
    "biller",
    "practice_admin",
    "supervisor",
    "clinical_admin",
    "assigned_clinician",
    "unassigned_clinician",
    "client",
    "other_client",
    "outsider",
]
OPERATIONS = ["list", "read", "reply", "edit", "archive", "delete", "start"]
SUCCESS = {"list": 200, "read": 200, "reply": 201, "edit": 200, "archive": 200, "delete": 204}
SUCCESS["start"] = 201

# Whom each audience is for, besides the client whose thread it is (the rules).
COVERS = {
    "clinical": {"assigned_clinician", "clinical_admin", "supervisor"},
    "billing": {"biller"},
    "administrative": {"scheduler", "practice_admin"},
}


def expected(who: str, audience: str, operation: str) -> int:
    """The client and the staff the audience covers may do anything; staff who
    see the client through another audience may not start one to this audience
    (400); everyone else gets the 404 of a thread or client that does not exist.
    For "list", 200 means listed and 404 means absent."""
    if who == "client" or who in COVERS[audience]:
        return SUCCESS[operation]
    if operation == "start" and any(who in covered for covered in COVERS.values()):
        return 400
    return 404


def person(cast: Cast, who: str) -> User:
    world = cast.world
    people: dict[str, User] = {
        "scheduler": world.scheduler,
        "biller": world.biller,
        "practice_admin": world.admin,
        "supervisor": cast.supervisor,
        "clinical_admin": cast.clinical_admin,
        "assigned_clinician": world.clinician,
        "unassigned_clinician": world.co_clinician,
        "client": world.client.user,
        "other_client": cast.other_client.user,
        "outsider": world.outsider_admin,
    }
    return people[who]


def attempt(cast: Cast, api: Api, who: str, audience: str, operation: str, thread: str) -> Any:
    """Do `operation` as `who`; returns the response (for "list": the ids listed)."""
    path = f"/threads/{thread}"
    if operation == "list":
        return set(client_threads(api)) | set(client_threads(api, "archived"))
    if operation == "read":
        return api.get(path)
    if operation == "reply":
        return api.post(f"{path}/messages", {"body": f"A reply from {who}."})
    if operation == "edit":
        return api.patch(path, {"subject": f"Header by {who}"})
    if operation == "archive":
        return api.post(f"{path}/archive")
    if operation == "delete":
        return api.delete(path)
    if who == "client":
        return start_as_client(api, audience, subject=f"New {audience} question")
    if who == "other_client":
        # A client naming a client (even their own practice's) is refused like a stranger.
        body = {"client_id": str(cast.world.client.pk), "audience": audience}
        return api.post("/threads", {**body, "subject": "Hi", "body": "Hello"})
    return start_with_client(api, cast.world.client, audience, subject=f"New {audience} note")


def check_success(cast: Cast, api: Api, who: str, operation: str, thread: str, out: Any) -> None:
    """What a permitted operation must answer (beyond its status)."""
    me = person(cast, who)
    if operation in ("read", "start"):
        body = out.json()
        assert body["view"] == "clients"
        assert body["client"]["id"] == str(cast.world.client.pk)
        names = {p["id"] for p in body["participants"]}
        if who == "client":
            assert names == {str(me.pk)}, "a client sees only themselves"
        else:
            assert {str(me.pk), str(cast.world.client.pk)} <= names
        assert body["timeline"][0]["type"] == "message"
    if operation == "reply":
        assert out.json()["author"]["id"] == str(me.pk)
    if operation == "edit":
        assert out.json()["to"] == f"Header by {who}"
    if operation == "archive":
        assert out.json()["archived"] is True
    if operation == "delete":
        assert api.get(f"/threads/{thread}").status_code == 404
        assert thread not in client_threads(api)


@pytest.mark.parametrize("who", WHO)
def test_client_access_matrix(cast: Cast, api_as: Any, who: str) -> None:
    client_api = api_as(cast.world.client.user)
    threads = {
        audience: created(start_as_client(client_api, audience, subject=f"To {audience}"))
        for audience in AUDIENCES
    }
    api = api_as(person(cast, who))
    for audience, thread in threads.items():
        for operation in OPERATIONS:
            want = expected(who, audience, operation)
            before = stored()
            out = attempt(cast, api, who, audience, operation, thread)
            cell = f"{who} x {audience} x {operation}"
            if operation == "list":
                assert (200 if thread in out else 404) == want, cell
            else:
                assert out.status_code == want, (cell, out.status_code, out.content[:300])
            if want == SUCCESS[operation]:
                if operation != "list":
                    check_success(cast, api, who, operation, thread, out)
            else:
                if want == 400:
                    field_error(out, "audience")
                elif operation != "list":
                    error_of(out, 404, "not_found")
                assert stored() == before, f"{cell} changed what is stored"
            CLIENT_CELLS.append(cell)


def test_expected_follows_the_rules() -> None:
    """A spot check of `expected` against the issue text, so the matrix cannot
    drift into agreeing with whatever the app does."""
    assert expected("biller", "billing", "read") == 200
    assert expected("biller", "clinical", "read") == 404
    assert expected("biller", "clinical", "start") == 400
    assert expected("unassigned_clinician", "clinical", "start") == 404
    assert expected("practice_admin", "administrative", "delete") == 204
    assert expected("practice_admin", "clinical", "read") == 404
    assert expected("supervisor", "clinical", "edit") == 200
    assert expected("other_client", "billing", "list") == 404
    assert expected("outsider", "administrative", "start") == 404
    assert expected("client", "billing", "start") == 201
