"""Throttled sign-in: failed sign-ins are counted per account and per client
address over a sliding window (settings.SIGNIN_FAILURE_WINDOW_SECONDS); past a
limit, password sign-in is refused until the window has moved on.

The account is the email as typed (normalized), known or not, so a lockout says
nothing about whether an account exists, and a refused attempt runs no password
hasher for either. See docs/AUTH.md for the figures. A failed sign-in is counted
here and written to the audit log by `accounts.actions.failed_sign_in`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from huddle.audit.middleware import client_ip
from huddle.core.text import normalize_email
from huddle.throttle.models import FailedSignIn

LOCKED_MESSAGE = "Too many failed sign-ins; try again later."


@dataclass(frozen=True)
class Lockout:
    retry_after: int  # seconds until a sign-in is allowed again


def account_key(email: str) -> str:
    key = salted_hmac("huddle.throttle.account", normalize_email(email), algorithm="sha256")
    return key.hexdigest()


def address_of(request: HttpRequest) -> str | None:
    return client_ip(request)


def _window() -> timedelta:
    return timedelta(seconds=settings.SIGNIN_FAILURE_WINDOW_SECONDS)


def _retry_after(failures: QuerySet[FailedSignIn], limit: int) -> int | None:
    """While the `limit`-th newest failure is inside the window, wait until it leaves."""
    now = timezone.now()
    newest = failures.filter(at__gt=now - _window()).order_by("-at")
    found = list(newest.values_list("at", flat=True)[limit - 1 : limit])
    if not found:
        return None
    return max(1, math.ceil((found[0] + _window() - now).total_seconds()))


def lockout(*, email: str, address: str | None) -> Lockout | None:
    """Whether sign-in for this email from this address is refused now."""
    waits = [
        _retry_after(
            FailedSignIn.objects.filter(account_key=account_key(email)),
            settings.SIGNIN_FAILURES_PER_ACCOUNT,
        )
    ]
    if address:
        waits.append(
            _retry_after(
                FailedSignIn.objects.filter(address=address),
                settings.SIGNIN_FAILURES_PER_ADDRESS,
            )
        )
    longest = max((w for w in waits if w is not None), default=None)
    return None if longest is None else Lockout(retry_after=longest)


@transaction.atomic
def record_failure(*, email: str, address: str | None) -> None:
    """Count one failed sign-in; rows older than the window are dropped as we go."""
    now = timezone.now()
    FailedSignIn.objects.filter(at__lte=now - _window()).delete()
    FailedSignIn.objects.create(account_key=account_key(email), address=address, at=now)


def locked_api_response(locked: Lockout) -> JsonResponse:
    """The API's 429, in its error format (API.md), with `Retry-After`."""
    body = {"error": {"code": "too_many_failed_sign_ins", "message": LOCKED_MESSAGE}}
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(locked.retry_after)
    return response
