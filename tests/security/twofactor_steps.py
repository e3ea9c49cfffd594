"""Helpers for the sign-in tests: codes from an authenticator app (computed from
the device's secret as the app would), and the two sign-in steps."""

from __future__ import annotations

import time
from base64 import b32decode
from typing import Any

from django.test import Client as HttpClient
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from huddle.accounts.models import User
from huddle.twofactor import actions


def code_for_secret(secret: str, *, step_offset: int = 0) -> str:
    """What an authenticator app shows for this base32 secret (as on the page)."""
    key = b32decode("".join(secret.split()))
    totp = TOTP(key)
    totp.time = time.time() + 30 * step_offset
    return f"{totp.token():06d}"


def fresh_code(user: User) -> str:
    """A code the user's app would show that the device has not accepted yet:
    the earliest time step it still takes (one step either side of now, moved by
    the drift it learnt, and after the last step it accepted)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    now_t = int(time.time() - device.t0) // device.step
    steps = range(now_t + device.drift - 1, now_t + device.drift + 2)
    usable = [t for t in steps if t > device.last_t]
    assert usable, "every code of this minute was used: travel in time first"
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = device.t0 + usable[0] * device.step
    return f"{totp.token():06d}"


def turn_on(user: User) -> list[str]:
    """Two-factor sign-in on for `user`, as the set-up page does; the recovery codes."""
    device = actions.begin_setup(user=user)
    app = TOTP(device.bin_key)
    app.time = time.time()
    _, codes = actions.confirm_setup(user=user, code=f"{app.token():06d}")
    return codes


def password_step(http: HttpClient, email: str, password: str, *, portal: bool = False) -> Any:
    return http.post(
        "/portal/signin" if portal else "/signin", {"email": email, "password": password}
    )


def code_step(http: HttpClient, code: str, *, portal: bool = False) -> Any:
    return http.post("/portal/signin/code" if portal else "/signin/code", {"code": code})
