"""The "Authentication code" sign-in step, the Two-factor sign-in page under each
person's profile, and "Sign out everywhere" — for staff and for clients."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from huddle.accounts import actions as account_actions
from huddle.accounts.models import Kind, User
from huddle.core.errors import ActionError
from huddle.core.views import not_found
from huddle.throttle import guard
from huddle.twofactor import actions, steps
from huddle.twofactor.devices import (
    WRONG_CODE_REASON,
    app_device,
    check_code,
    has_two_factor,
    qr_svg,
    recovery_codes_left,
    secret_text,
)
from huddle.twofactor.forms import CodeForm, ConfirmForm, TurnOffForm

WRONG_CODE = "The code is not correct, or it was already used."


@dataclass(frozen=True)
class Side:
    """Staff pages or the client portal: their kind, base template and URL names."""

    kind: str
    base: str
    signin: str
    home: str
    page: str
    sign_out_everywhere: str


STAFF = Side(
    Kind.STAFF,
    "core/base.html",
    "signin",
    "home",
    "profile_two_factor",
    "profile_sign_out_everywhere",
)
CLIENT = Side(
    Kind.CLIENT,
    "portal/base.html",
    "portal_signin",
    "portal_inbox",
    "portal_two_factor",
    "portal_sign_out_everywhere",
)


def _context(side: Side, **extra: object) -> dict[str, object]:
    return {"base_template": side.base, "side": side, "section": "profile", **extra}


def code_step(request: HttpRequest, side: Side) -> HttpResponse:
    """Sign-in, step two: the code from the app, or a recovery code."""
    found = steps.pending(request, side.kind)
    if found is None:
        return redirect(side.signin)
    user, target = found
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        address = guard.address_of(request)
        status = 400
        if guard.lockout(email=user.email, address=address) is not None:
            steps.forget(request)
            form.add_error(None, guard.LOCKED_MESSAGE)
            status = 429
        else:
            device, wait = check_code(user, form.cleaned_data["code"])
            if device is not None:
                steps.start_session(request, user, device)
                return HttpResponseRedirect(target or reverse(side.home))
            if wait:
                unit = "second" if wait == 1 else "seconds"
                message = f"Too many wrong codes in a row: wait {wait} {unit}, then try again."
                form.add_error("code", message)
            else:
                account_actions.failed_sign_in(
                    email=user.email, address=address, reason=WRONG_CODE_REASON
                )
                form.add_error("code", WRONG_CODE)
    context = _context(side, form=form)
    return render(request, "twofactor/code.html", context, status=status)


def _signed_in(request: HttpRequest, side: Side) -> User | HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect_to_login(request.get_full_path(), reverse(side.signin))
    if user.kind != side.kind:
        return not_found(request)
    return user


def two_factor_page(request: HttpRequest, side: Side) -> HttpResponse:
    user = _signed_in(request, side)
    if isinstance(user, HttpResponse):
        return user
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "begin" or (not action and user.practice.require_two_factor):
        if not has_two_factor(user):
            actions.begin_setup(user=user)
        if action:
            return redirect(side.page)
    if action == "confirm":
        return _confirm(request, side, user)
    if action == "recovery":
        try:
            codes = actions.new_recovery_codes(user=user)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect(side.page)
        return render(request, "twofactor/recovery_codes.html", _context(side, codes=codes))
    if action == "off":
        return _turn_off(request, side, user)
    return _show(request, side, user)


def _show(
    request: HttpRequest,
    side: Side,
    user: User,
    *,
    confirm_form: ConfirmForm | None = None,
    off_form: TurnOffForm | None = None,
    status: int = 200,
) -> HttpResponse:
    on = has_two_factor(user)
    pending = None if on else app_device(user, confirmed=False)
    context = _context(
        side,
        on=on,
        required=user.practice.require_two_factor,
        recovery_left=recovery_codes_left(user) if on else 0,
        qr=qr_svg(pending) if pending else None,
        secret=secret_text(pending) if pending else None,
        confirm_form=confirm_form or ConfirmForm(),
        off_form=off_form or TurnOffForm(),
    )
    return render(request, "twofactor/page.html", context, status=status)


def _confirm(request: HttpRequest, side: Side, user: User) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if form.is_valid():
        try:
            device, codes = actions.confirm_setup(user=user, code=form.cleaned_data["code"])
        except ActionError as exc:
            form.add_error("code", exc.message)
        else:
            # Every other session ended; this one goes on, now verified.
            update_session_auth_hash(request, user)
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is on.")
            context = _context(side, codes=codes, first=True)
            return render(request, "twofactor/recovery_codes.html", context)
    return _show(request, side, user, confirm_form=form, status=400)


TURN_OFF_REASON = "wrong password or authentication code"


def _turn_off(request: HttpRequest, side: Side, user: User) -> HttpResponse:
    form = TurnOffForm(request.POST)
    address = guard.address_of(request)
    if form.is_valid():
        if guard.lockout(email=user.email, address=address) is not None:
            form.add_error(None, guard.LOCKED_MESSAGE)
            return _show(request, side, user, off_form=form, status=429)
        try:
            actions.turn_off(
                user=user,
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
            )
        except ActionError as exc:
            if exc.fields:  # a wrong password or code counts as a failed sign-in
                account_actions.failed_sign_in(
                    email=user.email, address=address, reason=TURN_OFF_REASON
                )
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Two-factor sign-in is off.")
            return redirect(side.page)
    return _show(request, side, user, off_form=form, status=400)


def sign_out_everywhere(request: HttpRequest, side: Side) -> HttpResponse:
    user = _signed_in(request, side)
    if isinstance(user, HttpResponse):
        return user
    account_actions.sign_out_everywhere(user=user)
    logout(request)
    messages.info(request, "You have signed out everywhere.")
    return redirect(side.signin)


def staff_code(request: HttpRequest) -> HttpResponse:
    return code_step(request, STAFF)


def client_code(request: HttpRequest) -> HttpResponse:
    return code_step(request, CLIENT)


def staff_page(request: HttpRequest) -> HttpResponse:
    return two_factor_page(request, STAFF)


def client_page(request: HttpRequest) -> HttpResponse:
    return two_factor_page(request, CLIENT)


@require_POST
def staff_sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    return sign_out_everywhere(request, STAFF)


@require_POST
def client_sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    return sign_out_everywhere(request, CLIENT)
