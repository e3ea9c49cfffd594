from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from huddle.accounts.models import User
from huddle.attachments.pages import picked_ids
from huddle.core.errors import ActionError
from huddle.core.pages import form_page, run_action
from huddle.core.views import not_found
from huddle.messaging import drafts, queries, scheduled, sending
from huddle.messaging import filters as inbox_filters
from huddle.messaging.access import get_client_for_staff, require_view_enabled
from huddle.messaging.conversation_forms import (
    ConversationClientComposeForm,
    ConversationComposeForm,
)
from huddle.messaging.groups import staff_groups
from huddle.messaging.models import View
from huddle.messaging.pages import messaging_page, start_once


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


def list_beside(user: User, view: str) -> dict[str, object]:
    """The inbox list shown beside a composer (two panes, docs/FACE.md)."""
    return {
        "page": queries.inbox(user, view=view, folder="inbox"),
        "view": view,
        "folder": "inbox",
        "composing": True,
    }


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
    initial = {"form_token": uuid.uuid4(), **_draft_initial(request, user)}
    form = ConversationComposeForm(request.POST or None, choices=choices, initial=initial)
    send_at = form.send_at(user) if request.method == "POST" and form.is_valid() else None
    if request.method == "POST" and form.is_valid():
        user_ids, group_keys = form.picked()
        data = form.cleaned_data
        if send_at is not None:
            if _schedule(form, user, user_ids, group_keys, send_at, picked_ids(request)):
                messages.success(request, "Your message is scheduled.")
                return redirect("scheduled")
        else:
            thread_id = start_once(
                form,
                user,
                "page:compose",
                lambda: sending.send_thread(
                    sender=user,
                    user_ids=user_ids,
                    group_keys=group_keys,
                    subject=data["subject"],
                    body=data["body"],
                    is_urgent=bool(data.get("urgent")),
                    draft_id=data.get("draft_id"),
                    attachment_ids=picked_ids(request),
                ),
            )
            if thread_id is not None:
                messages.success(request, "Your message was sent.")
                return redirect("thread", thread_id=thread_id)
    context = {
        "form": form,
        "group_members": group_members,
        "section": "messages",
        "drafts": drafts.thread_drafts(user),
    }
    context.update(list_beside(user, View.PRACTICE))
    return form_page(request, "messaging/compose.html", context, form)


def _draft_initial(request: HttpRequest, user: User) -> dict[str, object]:
    """`?draft=<id>`: the composer filled from one of the caller's drafts."""
    raw = request.GET.get("draft", "")
    if request.method != "GET" or not raw.isdigit():
        return {}
    draft = drafts.thread_draft(user, int(raw))  # 404 for anyone else's
    recipients = draft.recipients or {}
    picked = [f"user:{u}" for u in recipients.get("users", [])]
    picked += [f"group:{g}" for g in recipients.get("groups", [])]
    return {
        "draft_id": draft.pk,
        "subject": draft.subject,
        "body": draft.body,
        "recipients": picked,
    }


def _schedule(
    form: ConversationComposeForm,
    user: User,
    user_ids: list[int],
    group_keys: list[str],
    send_at: object,
    attachment_ids: list[int],
) -> bool:
    from datetime import datetime

    data = form.cleaned_data
    assert isinstance(send_at, datetime)  # noqa: S101
    return run_action(
        form,
        lambda: scheduled.schedule_thread(
            author=user,
            user_ids=user_ids,
            group_keys=group_keys,
            subject=data["subject"],
            body=data["body"],
            send_at=send_at,
            is_urgent=bool(data.get("urgent")),
            attachment_ids=attachment_ids,
            draft_id=data.get("draft_id"),
        ),
    )


def compose_to_client(request: HttpRequest, user: User) -> HttpResponse:
    """+ New in the Clients view: a thread with a client the sender may see."""
    require_view_enabled(user, View.CLIENTS)
    clients = queries.client_recipients(user, limit=10_000)
    form = ConversationClientComposeForm(
        request.POST or None,
        clients=[(c.pk, c.user.name) for c, _ in clients],
        initial={"form_token": uuid.uuid4()},
    )
    send_at = form.send_at(user) if request.method == "POST" and form.is_valid() else None
    if request.method == "POST" and form.is_valid() and send_at is not None:
        data = form.cleaned_data
        if run_action(
            form,
            lambda: scheduled.schedule_thread(
                author=user,
                client_id=int(data["client"]),
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                send_at=send_at,
                is_urgent=bool(data.get("urgent")),
                attachment_ids=picked_ids(request),
            ),
        ):
            messages.success(request, "Your message is scheduled.")
            return redirect("scheduled")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        thread_id = start_once(
            form,
            user,
            "page:compose-client",
            lambda: sending.send_client_thread(
                sender=user,
                client=get_client_for_staff(user, int(data["client"])),
                audience=data["audience"],
                subject=data["subject"],
                body=data["body"],
                is_urgent=bool(data.get("urgent")),
                attachment_ids=picked_ids(request),
            ),
        )
        if thread_id is not None:
            messages.success(request, "Your message was sent.")
            return redirect("thread", thread_id=thread_id)
    context = {"form": form, "section": "messages", "has_clients": bool(clients)}
    context.update(list_beside(user, View.CLIENTS))
    return form_page(request, "messaging/compose_client.html", context, form)
