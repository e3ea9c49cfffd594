from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from huddle.accounts.models import User
from huddle.accounts.pages import admin_page
from huddle.administration import actions
from huddle.core.errors import NotFound
from huddle.core.pages import form_status, run_action
from huddle.core.views import not_found
from huddle.practices import queries
from huddle.practices.forms import LocationForm, MessagingSettingsForm
from huddle.practices.models import Location


@admin_page
def messaging_settings(request: HttpRequest, user: User) -> HttpResponse:
    practice = user.practice
    initial = {
        "secure_messaging_enabled": practice.secure_messaging_enabled,
        "practice_messaging_enabled": practice.practice_messaging_enabled,
        "auto_archive_days": practice.auto_archive_days,
        "session_idle_minutes": practice.session_idle_minutes,
        "client_read_receipts": practice.client_read_receipts,
        "urgent_escalation_minutes": practice.urgent_escalation_minutes,
    }
    form = MessagingSettingsForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid() and not form.cleaned_data["secure_messaging_enabled"]:
        # Unchecking Secure Messaging alone turns both off (F1), as the API does.
        form.cleaned_data["practice_messaging_enabled"] = (
            form.cleaned_data["practice_messaging_enabled"]
            and not practice.secure_messaging_enabled
        )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            form, lambda: actions.update_messaging_settings(actor=user, **form.cleaned_data)
        )
    ):
        messages.success(request, "Secure Messaging settings were saved.")
        return redirect("settings_messaging")
    context = {"form": form, "section": "settings"}
    return render(request, "practices/settings.html", context, status=form_status(form))


@admin_page
def locations(request: HttpRequest, user: User) -> HttpResponse:
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        added: list[Location] = []
        if run_action(form, lambda: added.append(actions.create_location(actor=user, name=name))):
            # The stored name, with its spaces tidied by the action.
            messages.success(request, f"The location {added[0].name} was added.")
            return redirect("locations")
    context = {
        "form": form,
        "locations": queries.list_locations(user.practice),
        "section": "locations",
    }
    return render(request, "practices/locations.html", context, status=form_status(form))


@admin_page
def location_edit(request: HttpRequest, user: User, location_id: int) -> HttpResponse:
    try:
        location = queries.get_location(user.practice, location_id)
    except NotFound:
        return not_found(request)
    form = LocationForm(request.POST or None, initial={"name": location.name})
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        if run_action(
            form, lambda: actions.rename_location(actor=user, location=location, name=name)
        ):
            messages.success(request, f"The location is now called {location.name}.")
            return redirect("locations")
        location.refresh_from_db(fields=["name"])  # The heading keeps the stored name.
    context = {"form": form, "location": location, "section": "locations"}
    return render(request, "practices/location_form.html", context, status=form_status(form))
