"""The pages of emailed links (accounts/links.py): choosing one's password from
an invitation or a reset, confirming a new address, and "Forgot password?";
and a Practice Admin's "Send a sign-in link" button."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from huddle.accounts import actions, links
from huddle.accounts import queries as account_queries
from huddle.accounts.models import Kind, LinkPurpose, User
from huddle.accounts.pages import admin_page
from huddle.core import limits, ratelimit
from huddle.core.errors import ActionError, NotFound, RateLimited
from huddle.core.pages import form_status, run_action
from huddle.core.views import not_found
from huddle.throttle import guard

SESSION_KEY = "password_link"
# "Forgot password?" requests per client address a minute.
RESET_REQUESTS_PER_MINUTE = 5
SENT = (
    "If this address belongs to an account, we have emailed it a link to choose a new"
    " password. The link works once, for 30 minutes."
)


class ChoosePasswordForm(forms.Form):
    password = forms.CharField(
        label="New password",
        strip=False,
        max_length=limits.PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text="At least 12 characters, not a common one, not like your name or email.",
        error_messages={"required": "Enter a password."},
    )
    again = forms.CharField(
        label="New password again",
        strip=False,
        max_length=limits.PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again."},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password") and data.get("again") and data["password"] != data["again"]:
            self.add_error("again", "The two passwords differ.")
        return data


class ForgotForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        max_length=limits.EMAIL_MAX,
        error_messages={"required": "Enter your email address."},
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )


@require_safe
def link_open(request: HttpRequest) -> HttpResponse:
    """The emailed link (`/account/link?token=`): its token moves into the session
    and out of the address bar (so it is in no later Referer or history entry)."""
    request.session[SESSION_KEY] = request.GET.get("token", "")[:100]
    return redirect("password_link_use")


def link_use(request: HttpRequest) -> HttpResponse:
    token = request.session.get(SESSION_KEY, "")
    link = links.find(token) if isinstance(token, str) and token else None
    if link is None:
        expired = {"title": "This link no longer works", "message": links.EXPIRED}
        return render(request, "accounts/link_expired.html", expired, status=400)
    needs_password = link.purpose != LinkPurpose.CONFIRM_EMAIL
    data = request.POST if request.method == "POST" else None
    form = ChoosePasswordForm(data) if needs_password else forms.Form(data)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data.get("password")
        if run_action(form, lambda: links.use(token=token, password=password)):
            del request.session[SESSION_KEY]
            messages.success(
                request,
                "Your password is set: sign in with it."
                if needs_password
                else "Your address is confirmed.",
            )
            return redirect("portal_signin" if link.user.kind == Kind.CLIENT else "signin")
    context: dict[str, object] = {
        "form": form,
        "purpose": link.purpose,
        "needs_password": needs_password,
    }
    return render(request, "accounts/link_use.html", context, status=form_status(form))


def _forgot(request: HttpRequest, *, kind: str, signin: str) -> HttpResponse:
    form = ForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.hit_key(
                f"reset:{guard.address_of(request)}",
                scope="resets",
                limit=RESET_REQUESTS_PER_MINUTE,
            )
        except RateLimited as exc:
            form.add_error(None, "Too many requests from here; wait a minute, then try again.")
            response = render(
                request, "accounts/forgot.html", {"form": form, "signin": signin}, status=429
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        links.request_reset(email=form.cleaned_data["email"], kind=kind)
        messages.info(request, SENT)
        return redirect(signin)
    context = {"form": form, "signin": signin}
    return render(request, "accounts/forgot.html", context, status=form_status(form))


def forgot_staff(request: HttpRequest) -> HttpResponse:
    return _forgot(request, kind=Kind.STAFF, signin="signin")


def forgot_client(request: HttpRequest) -> HttpResponse:
    return _forgot(request, kind=Kind.CLIENT, signin="portal_signin")


def send_link(request: HttpRequest, user: User, person: User) -> None:
    """Email `person` the sign-in link they need, and say how it went."""
    try:
        actions.send_sign_in_link(actor=user, person=person)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"A sign-in link was emailed to {person.shown_email}.")


@admin_page
@require_POST
def staff_send_link(request: HttpRequest, user: User, staff_id: int) -> HttpResponse:
    try:
        person = account_queries.get_staff(user.practice, staff_id)
    except NotFound:
        return not_found(request)
    send_link(request, user, person)
    return redirect("staff_edit", staff_id=person.pk)
