"""Issue 19, finding 9: the recipients search takes its query in a POST body,
so the client names typed into it stay out of addresses and proxy logs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, World
from tests.security.test_fetch_metadata import CROSS


@pytest.mark.parametrize(
    ("body", "query"),
    [({"q": "bi"}, "q=bi"), ({"q": "casey", "view": "clients"}, "q=casey&view=clients")],
)
def test_post_answers_what_get_answers(world: World, body: dict[str, str], query: str) -> None:
    api = Api(world.clinician)
    posted = api.post("/recipients", body)
    got = api.get(f"/recipients?{query}")
    assert posted.status_code == got.status_code == 200
    assert posted.json() == got.json()
    assert posted.json()["items"]


def test_post_keeps_the_access_rules(world: World) -> None:
    outsider = Api(world.outsider_clinician).post("/recipients", {"q": "casey", "view": "clients"})
    assert outsider.status_code in (403, 404)
    client = Api(world.client.user).post("/recipients", {"view": "clients"})
    assert client.status_code == 404
    mine = Api(world.clinician).post("/recipients", {"q": "olga"})
    assert mine.json()["items"] == []  # another practice's people are never found


def test_bad_bodies_are_400_naming_the_field(world: World) -> None:
    api = Api(world.clinician)
    assert "view" in api.post("/recipients", {"view": "everyone"}).json()["error"]["fields"]
    assert api.post("/recipients", {"q": 5}).status_code == 400
    assert api.post("/recipients", {"q": "x" * 201}).status_code == 400


def test_a_session_post_needs_the_csrf_token(world: World, page_as: Any) -> None:
    from django.test import Client as HttpClient

    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(world.clinician)
    response = http.post("/api/v1/recipients", {"q": "bi"}, content_type="application/json")
    assert response.status_code == 403
    assert (
        page_as(world.clinician)
        .post("/api/v1/recipients", {"q": "bi"}, content_type="application/json", headers=CROSS)
        .status_code
        == 403
    )
