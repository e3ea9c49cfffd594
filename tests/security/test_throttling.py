"""Throttled sign-in: at most 100 failed sign-ins an hour per account (the email
typed, known or not) and 300 an hour per client address over all accounts; then
password sign-in is refused for the rest of the hour, on the pages and in the
API (429 with Retry-After), saying nothing about whether the account exists."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client as HttpClient
from django.utils import timezone

from huddle.accounts.passwords import check_password_strength
from huddle.core.errors import InvalidInput
from huddle.throttle.guard import LOCKED_MESSAGE
from huddle.throttle.models import FailedSignIn
from tests.conftest import PASSWORD, World
from tests.security.twofactor_steps import code_step, fresh_code, password_step, turn_on


def token(email: str, password: str, address: str = "192.0.2.10", **extra: str) -> Any:
    return HttpClient().post(
        "/api/v1/auth/token",
        {"email": email, "password": password, **extra},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def page_sign_in(email: str, password: str, address: str = "192.0.2.10") -> Any:
    return HttpClient().post("/signin", {"email": email, "password": password}, REMOTE_ADDR=address)


def fail(email: str, times: int, *, spread: bool = True) -> None:
    """`times` wrong passwords for `email`, each from another address when `spread`."""
    for i in range(times):
        address = f"198.51.{i // 250}.{i % 250 + 1}" if spread else "192.0.2.99"
        assert token(email, "a wrong password, again", address).status_code == 401


def test_the_documented_figures() -> None:
    assert settings.SIGNIN_FAILURES_PER_ACCOUNT == 100
    assert settings.SIGNIN_FAILURES_PER_ADDRESS == 300
    assert settings.SIGNIN_FAILURE_WINDOW_SECONDS == 3600


def test_an_account_is_locked_after_100_failures_in_an_hour(world: World, capsys: Any) -> None:
    email = world.clinician.email
    fail(email, 99)
    assert token(email, PASSWORD).status_code == 201  # 99: still open
    fail(email, 1)

    locked = token(email, PASSWORD, "203.0.113.7")  # the right password, anywhere
    assert locked.status_code == 429
    assert locked.json() == {
        "error": {"code": "too_many_failed_sign_ins", "message": LOCKED_MESSAGE}
    }
    assert 3500 < int(locked["Retry-After"]) <= 3600
    page = page_sign_in(email, PASSWORD, "203.0.113.8")
    assert page.status_code == 429
    assert LOCKED_MESSAGE in html.unescape(page.content.decode())
    # Another account is not touched.
    assert token(world.biller.email, PASSWORD).status_code == 201

    with time_machine.travel(timezone.now() + timedelta(hours=1, seconds=1)):
        assert token(email, PASSWORD).status_code == 201
    with capsys.disabled():
        print("\nSign-in throttle: the 101st try on one account in an hour answered 429")


def test_an_unknown_email_is_locked_the_same_way(world: World) -> None:
    known, unknown = world.clinician.email, "nobody-here@maple.example"
    # Turn about, so that both lockouts start together (Retry-After counts from each
    # account's oldest failure; 100 password checks in a row take seconds).
    for i in range(100):
        address = f"198.51.0.{i + 1}"
        assert token(known, "a wrong password, again", address).status_code == 401
        assert token(unknown, "a wrong password, again", address).status_code == 401
    a, b = token(known, PASSWORD), token(unknown, PASSWORD)
    assert a.status_code == b.status_code == 429
    assert a.json() == b.json()
    assert abs(int(a["Retry-After"]) - int(b["Retry-After"])) <= 5
    pa, pb = page_sign_in(known, PASSWORD), page_sign_in(unknown, PASSWORD)
    assert pa.status_code == pb.status_code == 429
    assert LOCKED_MESSAGE in pa.content.decode() and LOCKED_MESSAGE in pb.content.decode()


def test_one_address_trying_many_accounts_is_locked_after_300_failures(world: World) -> None:
    attacker, office = "203.0.113.66", "192.0.2.44"
    for i in range(300):
        assert token(f"guess{i}@maple.example", "a wrong password", attacker).status_code == 401
    locked = token(world.biller.email, PASSWORD, attacker)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert page_sign_in(world.biller.email, PASSWORD, attacker).status_code == 429
    # The same account from elsewhere signs in.
    assert token(world.biller.email, PASSWORD, office).status_code == 201


def test_wrong_authentication_codes_count_as_failures(world: World, settings: Any) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 3
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own back-off off, to count quickly
    turn_on(world.clinician)
    http = HttpClient()
    assert password_step(http, world.clinician.email, PASSWORD).status_code == 302
    good = fresh_code(world.clinician)
    wrong = "000000" if good != "000000" else "111111"
    assert code_step(http, wrong).status_code == 400
    assert token(world.clinician.email, PASSWORD, otp=wrong).json()["error"]["code"] == (
        "otp_invalid"
    )
    assert code_step(http, wrong).status_code == 400

    locked = code_step(http, good)  # even the right code, once locked
    assert locked.status_code == 429
    assert LOCKED_MESSAGE in html.unescape(locked.content.decode())
    assert "_auth_user_id" not in http.session
    assert password_step(HttpClient(), world.clinician.email, PASSWORD).status_code == 429
    assert token(world.clinician.email, PASSWORD, otp=good).status_code == 429


def test_the_client_portal_is_throttled_too(world: World, settings: Any) -> None:
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 2
    email = world.client.user.email
    for _ in range(2):
        assert (
            password_step(HttpClient(), email, "not the password!", portal=True).status_code == 400
        )
    locked = password_step(HttpClient(), email, PASSWORD, portal=True)
    assert locked.status_code == 429
    assert LOCKED_MESSAGE in html.unescape(locked.content.decode())


def test_failed_sign_ins_store_no_email(world: World) -> None:
    fail("secret-typo@maple.example", 1)
    row = FailedSignIn.objects.get()
    assert "maple" not in row.account_key and len(row.account_key) == 64


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short words", "at least 12 characters"),
        ("password1234", "too common"),
        ("cleo@maple.example", "too similar"),
    ],
)
def test_passwords_need_12_characters_not_common_not_like_the_email(
    world: World, password: str, reason: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password_strength(password, user=world.clinician)
    assert reason in caught.value.fields["password"]


def test_passwords_need_no_composition_rules(world: World) -> None:
    check_password_strength("quiet orchard lantern river", user=world.clinician)
