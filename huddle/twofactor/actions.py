"""Every change to a user's two-factor sign-in goes through these functions."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from huddle import audit
from huddle.accounts import mail
from huddle.accounts.access import require_practice_admin
from huddle.accounts.models import ApiToken, User
from huddle.accounts.sessions import end_sign_ins
from huddle.core import ratelimit
from huddle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from huddle.practices.models import Practice
from huddle.twofactor.devices import (
    APP_NAME,
    RECOVERY_COUNT,
    RECOVERY_NAME,
    app_device,
    check_code,
    has_two_factor,
)

ALREADY_ON = "Two-factor sign-in is already on."
NOT_ON = "Two-factor sign-in is not on."
WRONG_CODE = "The code is not correct, or it was already used. Enter the newest code from the app."
REQUIRED = "Your practice requires two-factor sign-in, so it cannot be turned off."
NEED_PROOF = "Enter a current code from your app, or your password."


@transaction.atomic
def begin_setup(*, user: User) -> TOTPDevice:
    """A new secret for the authenticator app, not in use until confirmed with a code.

    Opening set-up again keeps the same secret, so a half-done set-up still works."""
    if has_two_factor(user):
        raise Conflict(ALREADY_ON)
    device = app_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)
    return device


def _replace_recovery_codes(user: User) -> list[str]:
    # The device stays (a session verified with a recovery code stays verified);
    # its codes are replaced.
    device, _ = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def confirm_setup(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor sign-in on with a first code from the app.

    Returns the device and the recovery codes, shown this once. Every other
    session and API token of the user ends: they were signed in without a code
    (the caller keeps its own session with `update_session_auth_hash`)."""
    if has_two_factor(user):
        raise Conflict(ALREADY_ON)
    device = app_device(user, confirmed=False)
    if device is None:
        raise InvalidInput.field("code", "Start the set-up again: it has expired.")
    device.confirmed = True  # check_code looks at confirmed devices only
    device.save(update_fields=["confirmed"])
    accepted, _ = check_code(user, code)
    if accepted is None:
        raise InvalidInput.field("code", WRONG_CODE)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _replace_recovery_codes(user)
    end_sign_ins(user)
    audit.record(audit.Action.TWO_FACTOR_ENABLED, actor=user)
    return device, codes


@transaction.atomic
def new_recovery_codes(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not has_two_factor(user):
        raise Conflict(NOT_ON)
    audit.record(audit.Action.RECOVERY_CODES_RENEWED, actor=user)
    return _replace_recovery_codes(user)


@transaction.atomic
def turn_off(*, user: User, code: str = "", password: str = "") -> None:
    """Turn two-factor sign-in off, proven with a current code or the password."""
    if user.practice.require_two_factor:
        raise Forbidden(REQUIRED)
    if not has_two_factor(user):
        raise Conflict(NOT_ON)
    proven = bool(password) and user.check_password(password)
    if not proven and code:
        accepted, _ = check_code(user, code)
        proven = accepted is not None
    if not proven:
        raise InvalidInput.field("code", NEED_PROOF)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(audit.Action.TWO_FACTOR_DISABLED, actor=user)


@transaction.atomic
def reset_by_admin(*, actor: User, person: User) -> None:
    """A Practice Admin turns off a person's two-factor sign-in (a lost phone and
    lost recovery codes). The person is signed out everywhere; if the practice
    requires two-factor sign-in they set it up again at their next sign-in."""
    require_practice_admin(actor)
    if person.practice_id != actor.practice_id:
        raise NotFound
    ratelimit.check_write(actor)
    if not has_two_factor(person):
        raise Conflict(NOT_ON)
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    end_sign_ins(person)
    mail.send_after_commit("two-factor reset", person.email, mail.TWO_FACTOR_RESET)
    audit.record(
        audit.Action.TWO_FACTOR_RESET,
        actor=actor,
        object_type=audit.ObjectType.USER,
        object_id=person.pk,
    )


@transaction.atomic
def end_tokens_without_two_factor(*, practice: Practice) -> None:
    """When a practice starts requiring two-factor sign-in, the API tokens of its
    people who signed in without a code end (their sessions are held back by
    TwoFactorRequiredMiddleware and the event stream's check)."""
    with_app = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    ApiToken.objects.filter(user__practice=practice).exclude(user_id__in=with_app).delete()
