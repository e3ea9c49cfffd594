"""Two-factor sign-in (TOTP, django-otp): set-up with a QR code and the secret as
text, the "Authentication code" step on the pages and in the API, one-time
recovery codes, codes that work once, turning it off, and the practice's
requirement."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client as HttpClient
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from huddle.accounts.models import ApiToken
from huddle.administration.actions import update_messaging_settings
from huddle.events import auth as event_auth
from huddle.twofactor.devices import has_two_factor
from tests.conftest import PASSWORD, World
from tests.security.twofactor_steps import (
    code_for_secret,
    code_step,
    fresh_code,
    password_step,
    turn_on,
)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def shown_secret(response: Any) -> str:
    found = re.search(r'class="totp-secret">([A-Z2-7 ]+)<', text(response))
    assert found, "the page shows the secret as text"
    return found.group(1)


def test_set_up_shows_a_qr_code_and_the_secret_and_a_code_turns_it_on(
    world: World, page_as: Any
) -> None:
    http = page_as(world.clinician)
    assert "Two-factor sign-in is off" in text(http.get("/profile/two-factor"))

    begun = http.post("/profile/two-factor", {"action": "begin"}, follow=True)
    body = text(begun)
    assert "<svg" in body and "<path" in body  # the QR code, drawn inline
    assert "style=" not in body.split("<svg", 1)[1].split("</svg>", 1)[0]
    secret = shown_secret(begun)
    assert not has_two_factor(world.clinician)

    done = http.post("/profile/two-factor", {"action": "confirm", "code": code_for_secret(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", text(done))
    assert len(codes) == 10
    assert has_two_factor(world.clinician)
    assert set(
        StaticToken.objects.filter(device__user=world.clinician).values_list("token", flat=True)
    ) == set(codes)
    status = text(http.get("/profile/two-factor"))
    assert "Two-factor sign-in is on" in status
    assert "Recovery codes left: <strong>10</strong>" in status


def test_a_wrong_confirmation_code_leaves_it_off(world: World, page_as: Any) -> None:
    http = page_as(world.clinician)
    http.post("/profile/two-factor", {"action": "begin"})
    response = http.post("/profile/two-factor", {"action": "confirm", "code": "000000"})
    assert response.status_code == 400
    assert "The code is not correct" in text(response)
    assert not has_two_factor(world.clinician)


def test_sign_in_asks_for_the_code_and_nothing_opens_before_it(world: World) -> None:
    turn_on(world.clinician)
    http = HttpClient()
    first = password_step(http, world.clinician.email, PASSWORD)
    assert first.status_code == 302
    assert first["Location"] == "/signin/code"
    assert "_auth_user_id" not in http.session
    # Password done, code not: no page, no API, no event stream.
    assert http.get("/messages/")["Location"].startswith("/signin")
    assert http.get("/api/v1/me").status_code == 401
    assert http.get("/profile/two-factor").status_code == 302
    assert event_auth.authenticate(None, http.session.session_key) is None
    step = http.get("/signin/code")
    assert step.status_code == 200
    assert "Authentication code" in text(step)

    second = code_step(http, fresh_code(world.clinician))
    assert second.status_code == 302
    assert second["Location"] == "/"
    assert int(http.session["_auth_user_id"]) == world.clinician.pk
    assert http.session[DEVICE_ID_SESSION_KEY]
    assert http.get("/messages/").status_code == 200


def test_a_code_from_the_app_works_only_once(world: World) -> None:
    turn_on(world.clinician)
    code = fresh_code(world.clinician)
    first, second = HttpClient(), HttpClient()
    password_step(first, world.clinician.email, PASSWORD)
    password_step(second, world.clinician.email, PASSWORD)
    assert code_step(first, code).status_code == 302

    replay = code_step(second, code)
    assert replay.status_code == 400
    assert "The code is not correct, or it was already used." in text(replay)
    assert "_auth_user_id" not in second.session


def test_a_wrong_code_is_refused_and_the_password_alone_is_not_enough(world: World) -> None:
    turn_on(world.clinician)
    http = HttpClient()
    password_step(http, world.clinician.email, PASSWORD)
    response = code_step(http, "123456" if fresh_code(world.clinician) != "123456" else "654321")
    assert response.status_code == 400
    assert "_auth_user_id" not in http.session


def test_a_recovery_code_signs_in_once(world: World, page_as: Any) -> None:
    codes = turn_on(world.biller)
    http = HttpClient()
    password_step(http, world.biller.email, PASSWORD)
    assert code_step(http, codes[0].upper()).status_code == 302
    assert "Recovery codes left: <strong>9</strong>" in text(http.get("/profile/two-factor"))

    again = HttpClient()
    password_step(again, world.biller.email, PASSWORD)
    assert code_step(again, codes[0]).status_code == 400
    throttled = code_step(again, codes[1])  # django-otp's back-off after a wrong code
    assert "Too many wrong codes in a row: wait 1 second," in text(throttled)
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        assert code_step(again, codes[1]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(world: World) -> None:
    old = turn_on(world.biller)
    http = HttpClient()
    password_step(http, world.biller.email, PASSWORD)
    code_step(http, old[0])
    response = http.post("/profile/two-factor", {"action": "recovery"})
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", text(response))
    assert len(new) == 10 and not set(new) & set(old)

    other = HttpClient()
    password_step(other, world.biller.email, PASSWORD)
    assert code_step(other, old[1]).status_code == 400
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):  # after the back-off
        assert code_step(other, new[0]).status_code == 302


def test_turning_it_off_needs_a_current_code_or_the_password(world: World) -> None:
    turn_on(world.scheduler)
    http = HttpClient()
    password_step(http, world.scheduler.email, PASSWORD)
    code_step(http, fresh_code(world.scheduler))

    refused = http.post("/profile/two-factor", {"action": "off", "password": "not my password"})
    assert refused.status_code == 400
    assert "Enter a current code from your app, or your password." in text(refused)
    assert has_two_factor(world.scheduler)

    done = http.post("/profile/two-factor", {"action": "off", "password": PASSWORD})
    assert done.status_code == 302
    assert not has_two_factor(world.scheduler)
    plain = HttpClient()
    assert password_step(plain, world.scheduler.email, PASSWORD)["Location"] == "/"


def test_turning_it_on_ends_the_other_sessions_and_tokens_but_not_this_one(
    world: World, page_as: Any, api_as: Any
) -> None:
    elsewhere = page_as(world.clinician)
    assert elsewhere.get("/messages/").status_code == 200
    api = api_as(world.clinician)
    http = page_as(world.clinician)
    http.post("/profile/two-factor", {"action": "begin"})
    secret = shown_secret(http.get("/profile/two-factor"))
    http.post("/profile/two-factor", {"action": "confirm", "code": code_for_secret(secret)})

    assert http.get("/messages/").status_code == 200
    assert http.session[DEVICE_ID_SESSION_KEY]
    assert elsewhere.get("/messages/").status_code == 302
    assert api.get("/me").status_code == 401
    assert not ApiToken.objects.filter(user=world.clinician).exists()


def test_the_api_asks_for_the_code_only_after_the_right_password(world: World) -> None:
    turn_on(world.clinician)
    http = HttpClient()

    def token(body: dict[str, Any]) -> Any:
        return http.post("/api/v1/auth/token", body, content_type="application/json")

    email = world.clinician.email
    wrong_password = token({"email": email, "password": "wrong password here", "otp": "123456"})
    unknown = token({"email": "nobody@maple.example", "password": PASSWORD})
    assert wrong_password.status_code == unknown.status_code == 401
    assert wrong_password.json() == unknown.json()
    assert wrong_password.json()["error"]["code"] == "bad_credentials"

    missing = token({"email": email, "password": PASSWORD})
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "otp_required"
    wrong = token({"email": email, "password": PASSWORD, "otp": "12345x"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "otp_invalid"
    assert set(wrong.json()["error"]) == {"code", "message"}
    assert not ApiToken.objects.filter(user=world.clinician).exists()

    right = token({"email": email, "password": PASSWORD, "otp": fresh_code(world.clinician)})
    assert right.status_code == 201
    bearer = {"Authorization": f"Bearer {right.json()['token']}"}
    assert HttpClient().get("/api/v1/me", headers=bearer).status_code == 200


def test_clients_set_it_up_in_the_portal_and_sign_in_with_a_code(
    world: World, page_as: Any
) -> None:
    account = world.client.user
    http = page_as(account)
    assert http.get("/profile/two-factor").status_code == 404
    begun = http.post("/portal/two-factor", {"action": "begin"}, follow=True)
    secret = shown_secret(begun)
    http.post("/portal/two-factor", {"action": "confirm", "code": code_for_secret(secret)})
    assert has_two_factor(account)

    browser = HttpClient()
    first = password_step(browser, account.email, PASSWORD, portal=True)
    assert first["Location"] == "/portal/signin/code"
    # The staff code step knows nothing of a client's sign-in.
    assert browser.get("/signin/code")["Location"] == "/signin"
    assert code_step(browser, fresh_code(account), portal=True)["Location"] == "/portal/"
    assert browser.get("/portal/").status_code == 200


def test_the_code_step_expires_five_minutes_after_the_password(world: World) -> None:
    turn_on(world.clinician)
    http = HttpClient()
    password_step(http, world.clinician.email, PASSWORD)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        response = code_step(http, fresh_code(world.clinician))
        assert response.status_code == 302
        assert response["Location"] == "/signin"
        assert "_auth_user_id" not in http.session


def test_a_practice_that_requires_it_sends_a_user_without_it_to_set_up_first(
    world: World,
) -> None:
    update_messaging_settings(actor=world.admin, require_two_factor=True)
    http = HttpClient()
    first = password_step(http, world.biller.email, PASSWORD)
    assert first["Location"] == "/profile/two-factor"
    page = http.get("/profile/two-factor")
    assert "Set up two-factor sign-in to continue" in text(page)
    assert "<svg" in text(page)
    # Nothing else opens until it is done: pages, the API, the event stream.
    assert http.get("/messages/")["Location"] == "/profile/two-factor"
    held = http.get("/api/v1/me")
    assert held.status_code == 403
    assert held.json()["error"]["code"] == "two_factor_setup_required"
    assert event_auth.authenticate(None, http.session.session_key) is None

    secret = shown_secret(page)
    http.post("/profile/two-factor", {"action": "confirm", "code": code_for_secret(secret)})
    assert http.get("/messages/").status_code == 200
    assert http.get("/api/v1/me").status_code == 200
    assert event_auth.authenticate(None, http.session.session_key) is not None
    # Required: it cannot be turned off.
    off = http.post("/profile/two-factor", {"action": "off", "password": PASSWORD})
    assert off.status_code == 400
    assert "requires two-factor sign-in" in text(off)
    assert has_two_factor(world.biller)


def test_requiring_it_holds_back_sessions_and_ends_tokens_signed_in_without_it(
    world: World, page_as: Any, api_as: Any
) -> None:
    turn_on(world.clinician)
    session = page_as(world.biller)
    assert session.get("/messages/").status_code == 200
    biller_api, clinician_api = api_as(world.biller), api_as(world.clinician)

    update_messaging_settings(actor=world.admin, require_two_factor=True)

    assert session.get("/messages/")["Location"] == "/profile/two-factor"
    assert biller_api.get("/me").status_code == 401
    # A token issued with a code (here: to a user who has the app) lives on.
    assert clinician_api.get("/me").status_code == 200
    refused = HttpClient().post(
        "/api/v1/auth/token",
        {"email": world.biller.email, "password": PASSWORD},
        content_type="application/json",
    )
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "two_factor_setup_required"


def test_a_session_without_the_code_of_a_user_who_has_the_app_is_signed_out(
    world: World, page_as: Any
) -> None:
    turn_on(world.clinician)
    update_messaging_settings(actor=world.admin, require_two_factor=True)
    http = page_as(world.clinician)  # signed in without the code step
    assert http.get("/messages/")["Location"].startswith("/signin")
    assert "_auth_user_id" not in http.session
    assert http.get("/api/v1/me").status_code == 401


def test_unconfirmed_set_up_does_not_ask_for_a_code(world: World, page_as: Any) -> None:
    page_as(world.clinician).post("/profile/two-factor", {"action": "begin"})
    assert TOTPDevice.objects.filter(user=world.clinician, confirmed=False).exists()
    assert password_step(HttpClient(), world.clinician.email, PASSWORD)["Location"] == "/"


def test_new_recovery_codes_keep_a_session_signed_in_with_a_recovery_code(
    world: World,
) -> None:
    codes = turn_on(world.biller)
    update_messaging_settings(actor=world.admin, require_two_factor=True)
    http = HttpClient()
    password_step(http, world.biller.email, PASSWORD)
    assert code_step(http, codes[0]).status_code == 302
    assert http.post("/profile/two-factor", {"action": "recovery"}).status_code == 200
    assert http.get("/messages/").status_code == 200
