from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huddle.accounts.link_views import send_link
from huddle.accounts.models import User
from huddle.accounts.pages import admin_page
from huddle.clients import actions, queries
from huddle.clients.forms import ClientForm
from huddle.core.errors import NotFound
from huddle.core.pages import form_status, run_action
from huddle.core.views import not_found
from huddle.twofactor.admin_views import reset
from huddle.twofactor.devices import has_two_factor


@admin_page
def client_list(request: HttpRequest, user: User) -> HttpResponse:
    page = queries.list_clients(user.practice, cursor=request.GET.get("cursor"), limit=100)
    context = {"clients": page.items, "next_cursor": page.next_cursor, "section": "clients"}
    return render(request, "clients/client_list.html", context)


@admin_page
def client_new(request: HttpRequest, user: User) -> HttpResponse:
    form = ClientForm(request.POST or None, practice_id=user.practice_id, new=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            lambda: actions.create_client(
                actor=user,
                name=data["name"],
                email=data["email"],
                clinician_ids=[c.pk for c in data["clinicians"]],
                portal_enabled=data["portal_enabled"],
            ),
        ):
            messages.success(request, f"{data['name']} was added.")
            return redirect("client_list")
    context = {"form": form, "section": "clients", "new": True}
    return render(request, "clients/client_form.html", context, status=form_status(form))


@admin_page
def client_edit(request: HttpRequest, user: User, client_id: int) -> HttpResponse:
    try:
        client = queries.get_client(user.practice, client_id)
    except NotFound:
        return not_found(request)
    initial = {
        "name": client.user.name,
        "email": client.user.shown_email,
        "clinicians": list(client.clinicians.all()),
        "portal_enabled": client.user.is_active,
        "messaging": client.messaging,
    }
    form = ClientForm(request.POST or None, initial=initial, practice_id=user.practice_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_action(
            form,
            lambda: actions.update_client(
                actor=user,
                client=client,
                name=data["name"],
                email=data["email"],
                clinician_ids=[c.pk for c in data["clinicians"]],
                portal_enabled=data["portal_enabled"],
                messaging=data.get("messaging") or None,
            ),
        ):
            messages.success(request, f"Changes to {data['name']} were saved.")
            return redirect("client_list")
        client.user.refresh_from_db()  # The heading keeps the stored name.
    context = {
        "form": form,
        "client": client,
        "section": "clients",
        "new": False,
        "two_factor_on": has_two_factor(client.user),
    }
    return render(request, "clients/client_form.html", context, status=form_status(form))


@admin_page
@require_POST
def client_send_link(request: HttpRequest, user: User, client_id: int) -> HttpResponse:
    """The client page's "Send a sign-in link" button."""
    try:
        client = queries.get_client(user.practice, client_id)
    except NotFound:
        return not_found(request)
    send_link(request, user, client.user)
    return redirect("client_edit", client_id=client.pk)


@admin_page
@require_POST
def client_reset(request: HttpRequest, user: User, client_id: int) -> HttpResponse:
    """The client page's "Reset two-factor sign-in" button."""
    try:
        client = queries.get_client(user.practice, client_id)
    except NotFound:
        return not_found(request)
    reset(request, user, client.user)
    return redirect("client_edit", client_id=client.pk)
