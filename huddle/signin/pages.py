"""Sign-in and sign-out pages, one for each kind of account (staff at /signin,
clients at /portal/signin): the same form, answer and timing for every wrong
email or password, and each page signs in only its own kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from huddle import audit
from huddle.accounts import actions as account_actions
from huddle.accounts.forms import SignInForm
from huddle.accounts.models import User
from huddle.core import ratelimit
from huddle.core.errors import RateLimited
from huddle.core.pages import form_status
from huddle.throttle import guard
from huddle.twofactor.flow import after_password

BAD_SIGN_IN = "The email or password is not correct."


def sign_in_page(request: HttpRequest, *, kind: str, template: str, home: str) -> HttpResponse:
    """Sign a `kind` account in and go to `next` (same site only) or to `home`."""
    if isinstance(request.user, User) and request.user.kind == kind:
        return redirect(home)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = guard.address_of(request)
        try:
            ratelimit.check_sign_in(address)  # every attempt, successful ones too
        except RateLimited as exc:
            form.add_error(None, exc.message)
            response = render(request, template, {"form": form}, status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if guard.lockout(email=form.cleaned_data["email"], address=address) is not None:
            # Refused before any password check: the same answer and time for all.
            form.add_error(None, guard.LOCKED_MESSAGE)
            return render(request, template, {"form": form}, status=429)
        user = authenticate(
            request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if isinstance(user, User) and user.kind == kind:
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse(home)
            # Signed in now, or first the authentication code (huddle/twofactor).
            return after_password(request, user, target)
        account_actions.failed_sign_in(email=form.cleaned_data["email"], address=address)
        form.add_error(None, BAD_SIGN_IN)
    return render(request, template, {"form": form}, status=form_status(form))


def sign_out_page(request: HttpRequest, *, signin: str) -> HttpResponse:
    if isinstance(request.user, User):
        audit.record(audit.Action.SIGNED_OUT, actor=request.user)
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect(signin)
