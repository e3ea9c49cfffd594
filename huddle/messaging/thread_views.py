"""A thread's page and its actions, for staff (/messages/) and clients (/portal/)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huddle import audit
from huddle.accounts.models import User
from huddle.attachments.pages import picked_ids
from huddle.core.pages import form_page, run_action
from huddle.messaging import actions, queries
from huddle.messaging.access import get_participation
from huddle.messaging.forms import HeaderForm, ReplyForm
from huddle.messaging.idempotency import once
from huddle.messaging.models import EntryKind, Participant, View
from huddle.messaging.pages import PORTAL, STAFF, Surface, page_for

ThreadView = Callable[[HttpRequest, int], HttpResponse]


def _context(surface: Surface, user: User, participation: Participant) -> dict[str, object]:
    entries = list(queries.timeline(participation))
    notices = [e for e in entries if e.kind == EntryKind.HEADER_CHANGED]
    participants = queries.thread_participants(participation)
    if not user.is_staff_member:
        participants = [p for p in participants if p.user_id == user.pk]
    thread = participation.thread
    return {
        "participation": participation,
        "thread": thread,
        "participants": participants,
        "client_name": next(
            (p.user.name for p in participants if p.user_id == thread.client_id), None
        ),
        "entries": entries,
        "latest_notice": notices[-1] if notices else None,
        "archived": queries.is_archived(participation, queries.archive_cutoff(user)),
        "section": "messages",
        "view": thread.view,
        "routes": surface.routes(),
        "base_template": surface.base_template,
        "reply_form": ReplyForm(initial={"form_token": uuid.uuid4()}),
        "header_form": HeaderForm(initial={"subject": thread.subject}),
    }


def thread_page(surface: Surface) -> ThreadView:
    @page_for(surface)
    def show(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
        participation = get_participation(user, thread_id)
        actions.mark_read(participation=participation)
        audit.record_thread(audit.Action.THREAD_VIEWED, actor=user, thread_id=thread_id)
        context = _context(surface, user, participation)
        context["editing"] = request.GET.get("edit") == "1"
        return render(request, "messaging/thread.html", context)

    return show


def reply_page(surface: Surface) -> ThreadView:
    @page_for(surface)
    @require_POST
    def post(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
        participation = get_participation(user, thread_id)
        form = ReplyForm(request.POST)
        if form.is_valid():
            body = form.cleaned_data["body"]

            def send() -> None:
                def run() -> tuple[int, object]:
                    entry = actions.reply(
                        author=user,
                        participation=participation,
                        body=body,
                        attachment_ids=picked_ids(request),
                    )
                    return 201, {"id": entry.pk}

                # The same form sent twice stores one reply.
                once(user, str(form.cleaned_data["form_token"]), "page:reply", run)

            if run_action(form, send):
                return redirect(surface.name("thread"), thread_id=thread_id)
        context = _context(surface, user, participation)
        context["reply_form"] = form
        return form_page(request, "messaging/thread.html", context, form)

    return post


def header_page(surface: Surface) -> ThreadView:
    @page_for(surface)
    @require_POST
    def post(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
        participation = get_participation(user, thread_id)
        form = HeaderForm(request.POST)
        if form.is_valid():
            subject = form.cleaned_data["subject"]
            if run_action(
                form,
                lambda: actions.edit_header(
                    editor=user, participation=participation, subject=subject
                ),
            ):
                return redirect(surface.name("thread"), thread_id=thread_id)
        context = _context(surface, user, participation)
        context.update(header_form=form, editing=True)
        return render(request, "messaging/thread.html", context, status=400)

    return post


def state_page(
    surface: Surface, action: Callable[[Participant], object], done: str, *, to_inbox: bool
) -> ThreadView:
    @page_for(surface)
    @require_POST
    def post(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
        participation = get_participation(user, thread_id)
        action(participation)
        messages.success(request, done)
        if not to_inbox:
            return redirect(surface.name("thread"), thread_id=thread_id)
        response = redirect(surface.name("inbox"))
        if surface is STAFF and participation.view == View.CLIENTS:
            response["Location"] += "?view=clients"
        return response

    return post


def thread_routes(surface: Surface) -> dict[str, ThreadView]:
    """Every page of a thread on `surface`, by route name."""
    return {
        "thread": thread_page(surface),
        "reply": reply_page(surface),
        "header": header_page(surface),
        "archive": state_page(
            surface,
            lambda p: actions.archive(participation=p),
            "The thread was archived.",
            to_inbox=True,
        ),
        "unarchive": state_page(
            surface,
            lambda p: actions.unarchive(participation=p),
            "The thread is back in your Inbox.",
            to_inbox=False,
        ),
        "delete": state_page(
            surface,
            lambda p: actions.delete_for_user(participation=p),
            "The thread was deleted from your folders. It comes back if someone replies.",
            to_inbox=True,
        ),
        "unread": state_page(
            surface,
            lambda p: actions.mark_unread(participation=p),
            "The thread is marked unread.",
            to_inbox=True,
        ),
    }


STAFF_THREAD = thread_routes(STAFF)
PORTAL_THREAD = thread_routes(PORTAL)
