from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from huddle.accounts.models import User
from huddle.core.errors import ActionError
from huddle.core.pages import form_page
from huddle.core.views import not_found
from huddle.messaging import actions, queries
from huddle.messaging.access import get_client_for_staff, require_view_enabled
from huddle.messaging.forms import ClientComposeForm, ComposeForm
from huddle.messaging.groups import staff_groups
from huddle.messaging.models import View
from huddle.messaging.pages import messaging_page, start_once
from huddle.search import filters as inbox_filters


@messaging_page
def inbox(request: HttpRequest, user: User) -> HttpResponse:
    default = View.PRACTICE if user.practice.practice_messaging_enabled else View.CLIENTS
    view = request.GET.get("view", default)
    folder = request.GET.get("folder", "inbox")
    if view not in View.values or folder not in queries.FOLDERS:
        return not_found(request)
    require_view_enabled(user, view)
    try:
        filters = inbox_filters.parse_filters(user, request.GET)
        page = queries.inbox(
            user,
            view=view,
            folder=folder,
            cursor=request.GET.get("cursor"),
            narrow=filters.sql(),
        )
    except ActionError:
        return redirect(f"{request.path}?view={view}&folder={folder}")
    context = {
        "page": page,
        "view": view,
        "folder": folder,
        "section": "messages",
        "filters": filters,
        "filter_query": urlencode(filters.query()),
        "filter_choices": inbox_filters.choices(user, view),
    }
    return render(request, "messaging/inbox.html", context)


def _recipient_choices(user: User) -> tuple[list[tuple[str, object]], list[dict[str, object]]]:
    """Options for the picker: groups (with members) and active staff but the sender."""
    groups = staff_groups(user.practice)
    people = queries.recipients(user, limit=10_000).users
    choices: list[tuple[str, object]] = [
        ("Staff groups", [(f"group:{g.key}", g.name) for g in groups]),
        ("People", [(f"user:{u.pk}", u.name) for u in people]),
    ]
    members: list[dict[str, object]] = [
        {
            "key": g.key,
            "members": [{"id": m.pk, "name": m.name} for m in g.members if m.pk != user.pk],
        }
        for g in groups
    ]
    return choices, members


@messaging_page
def compose(request: HttpRequest, user: User) -> HttpResponse:
    if request.GET.get("view") == View.CLIENTS:
        return compose_to_client(request, user)
    require_view_enabled(user, View.PRACTICE)
    choices, group_members = _recipient_choices(user)
    form = ComposeForm(request.POST or None, choices=choices, initial={"form_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        user_ids, group_keys = form.picked()
        data = form.cleaned_data
        thread_id = start_once(
            form,
            user,
            "page:compose",
            lambda: actions.start_thread(
                sender=user,
                user_ids=user_ids,
                group_keys=group_keys,
                subject=data["subject"],
                body=data["body"],
            ),
        )
        if thread_id is not None:
            messages.success(request, "Your message was sent.")
            return redirect("thread", thread_id=thread_id)
    context = {"form": form, "group_members": group_members, "section": "messages"}
    return form_page(request, "messaging/compose.html", context, form)


def compose_to_client(request: HttpRequest, user: User) -> HttpResponse:
    """+ New in the Clients view: a thread with a client the sender may see."""
    require_view_enabled(user, View.CLIENTS)
    clients = queries.client_recipients(user, limit=10_000)
    form = ClientComposeForm(
        request.POST or None,
        clients=[(c.pk, c.user.name) for c, _ in clients],
        initial={"form_token": uuid.uuid4()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        thread_id = start_once(
            form,
            user,
            "page:compose-client",
            lambda: actions.start_client_thread(
                sender=user,
                client=get_client_for_staff(user, int(data["client"])),
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
            ),
        )
        if thread_id is not None:
            messages.success(request, "Your message was sent.")
            return redirect("thread", thread_id=thread_id)
    context = {
        "form": form,
        "section": "messages",
        "view": View.CLIENTS,
        "has_clients": bool(clients),
    }
    return form_page(request, "messaging/compose_client.html", context, form)
