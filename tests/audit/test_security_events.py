"""Two-factor changes, "Sign out everywhere" and wrong authentication codes are
in the audit log, with the person and the address and nothing typed."""

from __future__ import annotations

import pytest

from huddle.accounts import actions as account_actions
from huddle.audit.models import Action
from huddle.core.errors import InvalidInput
from huddle.twofactor import actions as twofactor_actions
from tests.audit.helpers import IP, all_column_text, api_from_ip, mark, page_from_ip, since
from tests.conftest import PASSWORD, World
from tests.security.twofactor_steps import code_step, password_step, turn_on

WRONG = "000000"


def test_turning_two_factor_on_and_off_and_new_codes_are_recorded(world: World) -> None:
    user = world.clinician
    position = mark()

    turn_on(user)
    twofactor_actions.new_recovery_codes(user=user)
    twofactor_actions.turn_off(user=user, password=PASSWORD)

    assert [(r.action, r.actor_id) for r in since(position)] == [
        (Action.TWO_FACTOR_ENABLED, user.pk),
        (Action.RECOVERY_CODES_RENEWED, user.pk),
        (Action.TWO_FACTOR_DISABLED, user.pk),
    ]


def test_a_refused_turn_off_records_nothing(world: World) -> None:
    turn_on(world.clinician)
    position = mark()

    with pytest.raises(InvalidInput):
        twofactor_actions.turn_off(user=world.clinician, password="not the password")

    assert since(position) == []


def test_sign_out_everywhere_is_recorded(world: World) -> None:
    position = mark()

    account_actions.sign_out_everywhere(user=world.clinician)

    assert [(r.action, r.actor_id) for r in since(position)] == [
        (Action.SIGNED_OUT_EVERYWHERE, world.clinician.pk)
    ]


def test_a_wrong_code_on_the_sign_in_page_is_a_failed_sign_in(world: World) -> None:
    codes = turn_on(world.clinician)
    http = page_from_ip(None)
    password_step(http, world.clinician.email, PASSWORD)
    position = mark()

    answer = code_step(http, WRONG)

    assert answer.status_code == 400
    rows = since(position)
    assert [(r.action, r.actor_id, r.ip, r.detail) for r in rows] == [
        (Action.SIGN_IN_FAILED, world.clinician.pk, IP, "wrong authentication code")
    ]
    assert WRONG not in all_column_text()
    assert not any(code in all_column_text() for code in codes)


def test_a_wrong_otp_for_a_token_is_a_failed_sign_in(world: World) -> None:
    turn_on(world.clinician)
    api = api_from_ip(None)
    position = mark()

    answer = api.post(
        "/auth/token",
        {"email": world.clinician.email, "password": PASSWORD, "otp": WRONG},
    )

    assert answer.status_code == 401
    assert [(r.action, r.actor_id, r.detail) for r in since(position)] == [
        (Action.SIGN_IN_FAILED, world.clinician.pk, "wrong authentication code")
    ]


def test_a_wrong_password_turning_two_factor_off_is_a_failed_sign_in(world: World) -> None:
    """Turning two-factor off asks for the password or a code: a wrong one counts
    toward the lockout and is an audit row, as on every other sign-in path."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from huddle.throttle.models import FailedSignIn

    turn_on(world.clinician)
    http = page_from_ip(world.clinician)
    session = http.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=world.clinician).persistent_id
    session.save()
    failures = FailedSignIn.objects.count()
    position = mark()

    answer = http.post("/profile/two-factor", {"action": "off", "password": "not the password"})

    assert answer.status_code == 400
    assert FailedSignIn.objects.count() == failures + 1
    rows = since(position)
    assert [(r.action, r.actor_id, r.ip, r.detail) for r in rows] == [
        (Action.SIGN_IN_FAILED, world.clinician.pk, IP, "wrong password or authentication code")
    ]
    assert "not the password" not in all_column_text()
