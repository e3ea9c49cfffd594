"""Profile > Notifications for staff, and the portal's notification page for clients."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from huddle.accounts.models import Kind, User
from huddle.core.pages import form_status, run_action
from huddle.core.views import not_found
from huddle.notifications import actions, queries
from huddle.notifications.forms import ClientPreferencesForm, StaffPreferencesForm

SAVED = "Your notification settings were saved."


def _page(
    request: HttpRequest,
    *,
    kind: str,
    signin_url: str,
    form_class: type[forms.Form],
    template: str,
    url_name: str,
) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect_to_login(request.get_full_path(), signin_url)
    if user.kind != kind:
        return not_found(request)
    prefs = queries.preferences_of(user)
    initial = {
        "internal_messages": prefs.internal_messages,
        "client_messages": prefs.client_messages,
    }
    # Bound on every POST: a form with every box unticked posts nothing else.
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        save: Callable[[], object] = lambda: actions.set_preferences(  # noqa: E731
            user=user,
            internal_messages=data.get("internal_messages"),
            client_messages=data.get("client_messages"),
        )
        if run_action(form, save):
            messages.success(request, SAVED)
            return redirect(url_name)
    context = {"form": form, "section": "profile"}
    return render(request, template, context, status=form_status(form))


def staff_preferences(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        kind=Kind.STAFF,
        signin_url="/signin",
        form_class=StaffPreferencesForm,
        template="notifications/staff_preferences.html",
        url_name="profile_notifications",
    )


def client_preferences(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        kind=Kind.CLIENT,
        signin_url="/portal/signin",
        form_class=ClientPreferencesForm,
        template="notifications/client_preferences.html",
        url_name="portal_notifications",
    )
