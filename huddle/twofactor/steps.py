"""The steps of a sign-in: after the password, either the session starts, or (for a
user with two-factor sign-in) the "Authentication code" step comes first.

Between the two steps the session holds only who is signing in: it is not signed
in, so it reaches no page, API call or event stream.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.models import Device

from huddle.accounts.models import User

PENDING_KEY = "huddle_two_factor_pending"
# The code step must follow the password within this time.
PENDING_SECONDS = 5 * 60
BACKEND = "huddle.accounts.backends.EmailBackend"


def start_session(request: HttpRequest, user: User, device: Device | None = None) -> None:
    """Sign `user` in: a new session key, the device that verified them, and an
    end fixed now, SESSION_MAX_HOURS from this sign-in, however busy the session."""
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=BACKEND)
    if device is not None:
        otp_login(request, device)
    request.session.set_expiry(timezone.now() + timedelta(hours=settings.SESSION_MAX_HOURS))


def await_code(request: HttpRequest, user: User, target: str) -> None:
    """The password was right; the code is asked next."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "kind": user.kind,
        "at": time.time(),
        "next": target,
    }


def pending(request: HttpRequest, kind: str) -> tuple[User, str] | None:
    """Who passed the password step on this browser, and where they go next."""
    data: Any = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or data.get("kind") != kind:
        return None
    if time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.select_related("practice").filter(pk=int(data.get("user", 0))).first()
    if user is None or not user.is_active:
        return None
    return user, str(data.get("next", ""))


def forget(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)
