"""Sign-in and sign-out pages, one for each kind of account (staff at /signin,
clients at /portal/signin): the same form, answer and timing for every wrong
email or password, and each page signs in only its own kind."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from huddle.accounts.forms import SignInForm
from huddle.accounts.models import User
from huddle.core.pages import form_status

BAD_SIGN_IN = "The email or password is not correct."


def sign_in_page(request: HttpRequest, *, kind: str, template: str, home: str) -> HttpResponse:
    """Sign a `kind` account in and go to `next` (same site only) or to `home`."""
    if isinstance(request.user, User) and request.user.kind == kind:
        return redirect(home)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
        )
        if isinstance(user, User) and user.kind == kind:
            login(request, user)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                target = reverse(home)
            return HttpResponseRedirect(target)
        form.add_error(None, BAD_SIGN_IN)
    return render(request, template, {"form": form}, status=form_status(form))


def sign_out_page(request: HttpRequest, *, signin: str) -> HttpResponse:
    logout(request)
    messages.info(request, "You have signed out.")
    return redirect(signin)
