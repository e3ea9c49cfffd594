"""A browser session ends after the practice's idle minutes without a request."""

from __future__ import annotations

from typing import Any

from django.test import Client as HttpClient

from huddle.accounts.middleware import LAST_SEEN_KEY
from huddle.administration.actions import update_messaging_settings
from tests.conftest import PASSWORD, World


def signed_in(world: World) -> HttpClient:
    http = HttpClient()
    response = http.post("/signin", {"email": world.biller.email, "password": PASSWORD})
    assert response.status_code == 302
    return http


def age_session(http: HttpClient, seconds: float) -> None:
    session = http.session
    session[LAST_SEEN_KEY] = float(session[LAST_SEEN_KEY]) - seconds
    session.save()


def test_a_session_idle_longer_than_the_practice_allows_is_signed_out(world: World) -> None:
    update_messaging_settings(actor=world.admin, session_idle_minutes=10)
    http = signed_in(world)
    assert http.get("/messages/").status_code == 200
    age_session(http, 11 * 60)
    response = http.get("/messages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/signin")
    # The API through the same cookie is closed too.
    assert http.get("/api/v1/me").status_code == 401


def test_a_session_used_within_the_idle_time_stays_signed_in(world: World) -> None:
    update_messaging_settings(actor=world.admin, session_idle_minutes=10)
    http = signed_in(world)
    http.get("/messages/")
    age_session(http, 9 * 60)
    assert http.get("/messages/").status_code == 200
    # That request counted as activity: another 9 minutes later it still works.
    age_session(http, 9 * 60)
    assert http.get("/messages/").status_code == 200


def test_the_idle_time_follows_the_practice_setting(world: World, page_as: Any) -> None:
    update_messaging_settings(actor=world.admin, session_idle_minutes=60)
    http = signed_in(world)
    http.get("/messages/")
    age_session(http, 30 * 60)
    assert http.get("/messages/").status_code == 200
