"""Where a sign-in goes once the password was right, for the pages and the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect

from huddle.accounts import actions as account_actions
from huddle.accounts.models import Kind, User
from huddle.core.errors import ActionError
from huddle.throttle import guard
from huddle.twofactor import steps
from huddle.twofactor.devices import WRONG_CODE_REASON, check_code, has_two_factor

CODE_PAGE: dict[str, str] = {Kind.STAFF: "signin_code", Kind.CLIENT: "portal_signin_code"}
SETUP_PAGE: dict[str, str] = {
    Kind.STAFF: "profile_two_factor",
    Kind.CLIENT: "portal_two_factor",
}


def after_password(request: HttpRequest, user: User, target: str) -> HttpResponse:
    """The code step for a user with two-factor sign-in; else the session starts
    (and goes to set-up first when the practice requires two-factor sign-in)."""
    if has_two_factor(user):
        steps.await_code(request, user, target)
        return redirect(CODE_PAGE[user.kind])
    steps.start_session(request, user)
    if user.practice.require_two_factor:
        return redirect(SETUP_PAGE[user.kind])
    return HttpResponseRedirect(target)


class OtpRequired(ActionError):
    status = 401
    code = "otp_required"


class OtpInvalid(ActionError):
    status = 401
    code = "otp_invalid"


class SetupRequired(ActionError):
    status = 401
    code = "two_factor_setup_required"


def check_token_code(request: HttpRequest, user: User, otp: str | None) -> None:
    """For POST /api/v1/auth/token, once the password was right: the `otp` a user
    with two-factor sign-in must send. A wrong one counts as a failed sign-in."""
    if not has_two_factor(user):
        if user.practice.require_two_factor:
            raise SetupRequired(
                "Your practice requires two-factor sign-in: set it up in the browser first."
            )
        return
    if not otp:
        raise OtpRequired("Send the authentication code from your app as `otp`.")
    device, wait = check_code(user, otp)
    if device is None:
        if not wait:
            account_actions.failed_sign_in(
                email=user.email, address=guard.address_of(request), reason=WRONG_CODE_REASON
            )
        raise OtpInvalid("The authentication code is not correct, or it was already used.")
