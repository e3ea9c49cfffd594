"""Session limits: a browser session ends 12 hours after its sign-in however busy
it is (the idle limit stays as it was), and "Sign out everywhere" ends every
session and API token of the person at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient
from django.utils import timezone

from huddle.accounts.models import ApiToken, User
from huddle.administration.actions import update_messaging_settings
from huddle.events import auth as event_auth
from tests.conftest import PASSWORD, World
from tests.security.twofactor_steps import code_step, fresh_code, password_step, turn_on

ROOT = Path(__file__).resolve().parents[2]


def stored_end(http: HttpClient) -> Any:
    return Session.objects.get(session_key=http.session.session_key).expire_date


def signed_in(user: User, *, portal: bool = False) -> HttpClient:
    http = HttpClient()
    assert password_step(http, user.email, PASSWORD, portal=portal).status_code == 302
    return http


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(world: World) -> None:
    # The longest idle time a practice may choose, so only the absolute limit ends it.
    update_messaging_settings(actor=world.admin, session_idle_minutes=720)
    start = timezone.now()
    http = signed_in(world.biller)
    end = stored_end(http)
    assert start + timedelta(hours=12) <= end <= timezone.now() + timedelta(hours=12)

    with time_machine.travel(start + timedelta(hours=6)):
        assert http.get("/messages/").status_code == 200  # activity...
    assert stored_end(http) == end  # ...does not move the end
    with time_machine.travel(start + timedelta(hours=11, minutes=59)):
        assert http.get("/messages/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        assert http.get("/messages/")["Location"].startswith("/signin")
        assert http.get("/api/v1/me").status_code == 401


def test_a_session_with_two_factor_has_the_same_end(world: World) -> None:
    turn_on(world.clinician)
    start = timezone.now()
    http = HttpClient()
    password_step(http, world.clinician.email, PASSWORD)
    code_step(http, fresh_code(world.clinician))
    assert start + timedelta(hours=12) <= stored_end(http) <= timezone.now() + timedelta(hours=12)
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        assert http.get("/api/v1/me").status_code == 401


def test_a_session_signed_in_otherwise_gets_its_twelve_hours_on_first_use(
    world: World, page_as: Any
) -> None:
    http = page_as(world.biller)  # force_login: not through the sign-in page
    start = timezone.now()
    assert http.get("/messages/").status_code == 200
    assert start + timedelta(hours=12) <= stored_end(http) <= timezone.now() + timedelta(hours=12)
    http.get("/messages/")
    with time_machine.travel(start + timedelta(hours=12, minutes=1)):
        assert http.get("/api/v1/me").status_code == 401


def test_an_api_token_lasts_twelve_hours(world: World) -> None:
    response = HttpClient().post(
        "/api/v1/auth/token",
        {"email": world.biller.email, "password": PASSWORD},
        content_type="application/json",
    )
    bearer = {"Authorization": f"Bearer {response.json()['token']}"}
    with time_machine.travel(timezone.now() + timedelta(hours=11, minutes=59)):
        assert HttpClient().get("/api/v1/me", headers=bearer).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(hours=12, minutes=1)):
        assert HttpClient().get("/api/v1/me", headers=bearer).status_code == 401


def test_sign_out_everywhere_ends_every_session_and_token_of_the_person(
    world: World, api_as: Any
) -> None:
    laptop, phone = signed_in(world.clinician), signed_in(world.clinician)
    colleague = signed_in(world.co_clinician)
    api = api_as(world.clinician)
    phone_key = phone.session.session_key
    assert event_auth.authenticate(None, phone_key) is not None

    response = laptop.post("/profile/sign-out-everywhere")
    assert response.status_code == 302
    assert response["Location"] == "/signin"

    for browser in (laptop, phone):
        assert browser.get("/messages/")["Location"].startswith("/signin")
        assert browser.get("/api/v1/me").status_code == 401
    assert api.get("/me").status_code == 401
    assert not ApiToken.objects.filter(user=world.clinician).exists()
    assert event_auth.authenticate(None, phone_key) is None
    # Nobody else is touched, and the person can sign in again.
    assert colleague.get("/messages/").status_code == 200
    assert signed_in(world.clinician).get("/messages/").status_code == 200


def test_open_event_streams_end_with_sign_out_everywhere(world: World) -> None:
    phone = signed_in(world.clinician)
    held = event_auth.authenticate(None, phone.session.session_key)
    assert held is not None
    assert event_auth.still_valid([held[1]]) == [True]
    signed_in(world.clinician).post("/profile/sign-out-everywhere")
    assert event_auth.still_valid([held[1]]) == [False]


def test_a_client_signs_out_everywhere_from_the_portal(world: World, api_as: Any) -> None:
    account = world.client.user
    first, second = signed_in(account, portal=True), signed_in(account, portal=True)
    api = api_as(account)
    assert "Sign out everywhere" in first.get("/portal/two-factor").content.decode()

    response = first.post("/portal/sign-out-everywhere")
    assert response["Location"] == "/portal/signin"
    assert second.get("/portal/")["Location"].startswith("/portal/signin")
    assert api.get("/me").status_code == 401


def test_sign_out_everywhere_is_a_post_for_the_signed_in(world: World) -> None:
    http = signed_in(world.clinician)
    assert http.get("/profile/sign-out-everywhere").status_code == 405
    assert http.get("/messages/").status_code == 200
    anonymous = HttpClient().post("/profile/sign-out-everywhere")
    assert anonymous["Location"].startswith("/signin")
    # A staff member cannot use the portal's door, nor a client the staff one.
    assert http.post("/portal/sign-out-everywhere").status_code == 404
    assert http.get("/messages/").status_code == 200


def production_cookie_settings() -> dict[str, Any]:
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n) for n in ["
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_AGE']}))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}},
        "HUDDLE_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "h.example",
        "DJANGO_SETTINGS_MODULE": "huddle.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_production_cookies_are_secure_httponly_and_same_site_lax() -> None:
    assert production_cookie_settings() == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 12 * 60 * 60,
    }


def test_the_session_cookie_is_httponly_lax_and_ends_with_the_session(world: World) -> None:
    http = HttpClient()
    http.get("/signin")
    csrf = http.cookies["csrftoken"]
    assert csrf["samesite"] == "Lax"
    password_step(http, world.biller.email, PASSWORD)
    cookie = http.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert 12 * 3600 - 5 <= int(cookie["max-age"]) <= 12 * 3600
