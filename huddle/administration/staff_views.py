"""Settings > Staff: the list, adding and editing a staff member (with their
two-factor sign-in's state, from twofactor), deactivating and reactivating."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huddle.accounts import actions, queries
from huddle.accounts.forms import StaffForm
from huddle.accounts.models import User
from huddle.accounts.pages import admin_page
from huddle.core.errors import ActionError, NotFound
from huddle.core.pages import form_status, run_action
from huddle.core.views import not_found
from huddle.twofactor.devices import has_two_factor


@admin_page
def staff_list(request: HttpRequest, user: User) -> HttpResponse:
    page = queries.list_staff(user.practice, cursor=request.GET.get("cursor"), limit=100)
    context = {"staff": page.items, "next_cursor": page.next_cursor, "section": "staff"}
    return render(request, "accounts/staff_list.html", context)


@admin_page
def staff_new(request: HttpRequest, user: User) -> HttpResponse:
    form = StaffForm(request.POST or None, practice_id=user.practice_id, new=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            lambda: actions.create_staff(
                actor=user,
                name=data["name"],
                email=data["email"],
                roles=data["roles"],
                location_ids=[loc.pk for loc in data["locations"]],
            ),
        ):
            messages.success(
                request, f"{data['name']} was added and invited by email to choose a password."
            )
            return redirect("staff_list")
    context = {"form": form, "section": "staff", "new": True}
    return render(request, "accounts/staff_form.html", context, status=form_status(form))


@admin_page
def staff_edit(request: HttpRequest, user: User, staff_id: int) -> HttpResponse:
    try:
        staff = queries.get_staff(user.practice, staff_id)
    except NotFound:
        return not_found(request)
    initial = {
        "name": staff.name,
        "email": staff.shown_email,
        "roles": sorted(staff.role_set()),
        "locations": list(staff.locations.all()),
    }
    form = StaffForm(request.POST or None, initial=initial, practice_id=user.practice_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            lambda: actions.update_staff(
                actor=user,
                staff=staff,
                name=data["name"],
                email=data["email"],
                roles=data["roles"],
                location_ids=[loc.pk for loc in data["locations"]],
            ),
        ):
            messages.success(request, f"Changes to {data['name']} were saved.")
            return redirect("staff_list")
        staff.refresh_from_db()  # The heading keeps the stored name.
    context = {
        "form": form,
        "member": staff,
        "section": "staff",
        "new": False,
        "two_factor_on": has_two_factor(staff),
    }
    return render(request, "accounts/staff_form.html", context, status=form_status(form))


@admin_page
@require_POST
def staff_set_active(request: HttpRequest, user: User, staff_id: int) -> HttpResponse:
    try:
        staff = queries.get_staff(user.practice, staff_id)
    except NotFound:
        return not_found(request)
    active = request.POST.get("is_active") == "true"
    try:
        actions.update_staff(actor=user, staff=staff, is_active=active)
    except ActionError as exc:
        # No form on this page to carry the reason: it is shown as a message.
        messages.error(request, exc.message)
    else:
        verb = "reactivated" if active else "deactivated"
        messages.success(request, f"{staff.name} was {verb}.")
    return redirect("staff_edit", staff_id=staff.pk)
