"""POST /api/v1/auth/token (signing in to the API: the throttle, the password, and
the two-factor code for those who have it) and DELETE /api/v1/auth/token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from huddle.accounts import actions
from huddle.accounts.models import ApiToken, User
from huddle.accounts.schemas import TokenIn, TokenOut, me_out
from huddle.core import ratelimit
from huddle.core.apitypes import RETRY_AFTER, Error
from huddle.core.errors import ActionError
from huddle.throttle import guard
from huddle.twofactor.flow import check_token_code

router = Router(tags=["accounts"])
# The operationIds these were published with while they lived in huddle/accounts/api.py
# (django-ninja derives one from the module): kept, so generated clients keep their names.
OPERATION = "huddle_accounts_api_"

BAD_CREDENTIALS = "The email or password is not correct."


class BadCredentials(ActionError):
    status = 401
    code = "bad_credentials"


@router.post(
    "/auth/token",
    operation_id=f"{OPERATION}create_token",
    auth=None,
    response={201: TokenOut, 400: Error, 401: Error, 429: Error},
    openapi_extra=RETRY_AFTER,
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut] | HttpResponse:
    address = guard.address_of(request)
    ratelimit.check_sign_in(address)
    locked = guard.lockout(email=payload.email, address=address)
    if locked is not None:
        return guard.locked_api_response(locked)
    user = authenticate(request, email=payload.email, password=payload.password)
    if not isinstance(user, User):
        actions.failed_sign_in(email=payload.email, address=address)
        raise BadCredentials(BAD_CREDENTIALS)
    # The password was right: a user with two-factor sign-in also sends `otp`.
    check_token_code(request, user, payload.otp)
    raw, token = actions.issue_token(user=user)
    return Status(201, TokenOut(token=raw, expires_at=token.expires_at, user=me_out(user)))


@router.delete(
    "/auth/token",
    operation_id=f"{OPERATION}revoke_token",
    response={204: None, 400: Error, 401: Error, 403: Error},
)
def revoke_token(request: HttpRequest) -> Status[None]:
    token = getattr(request, "api_token", None)
    if not isinstance(token, ApiToken):
        raise ActionError("Send the token to revoke in the Authorization header.")
    actions.revoke_token(token=token)
    return Status(204, None)
