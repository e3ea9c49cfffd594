"""A thread's page and its actions, for staff (/messages/) and clients (/portal/)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from huddle.accounts.models import User
from huddle.attachments.pages import picked_ids
from huddle.availability.pages import thread_context
from huddle.core.pages import form_page, run_action
from huddle.messaging import actions, queries, scheduled, sending
from huddle.messaging.access import get_participation
from huddle.messaging.conversation_context import thread_extras
from huddle.messaging.conversation_forms import ConversationReplyForm
from huddle.messaging.forms import HeaderForm
from huddle.messaging.idempotency import once
from huddle.messaging.models import EntryKind, Participant, View
from huddle.messaging.pages import PORTAL, STAFF, Surface, page_for

ThreadView = Callable[[HttpRequest, int], HttpResponse]


def _context(surface: Surface, user: User, participation: Participant) -> dict[str, object]:
    entries = list(queries.timeline(participation))
    notices = [e for e in entries if e.kind == EntryKind.HEADER_CHANGED]
    participants = queries.thread_participants(participation)
    # conversation (F17-F21): receipts, urgent, edits; built from these rows.
    conversation = thread_extras(user, entries, participants)
    if not user.is_staff_member:
        participants = [p for p in participants if p.user_id == user.pk]
    thread = participation.thread
    archived = queries.is_archived(participation, queries.archive_cutoff(user))
    folder = "archived" if archived else "inbox"
    return {
        # The list beside the thread (two panes, docs/FACE.md): its own folder.
        "page": queries.inbox(user, view=thread.view, folder=folder),
        "folder": folder,
        "list_template": surface.list_template,
        # availability: coverage, messaging off
        **thread_context(
            user,
            practice_id=thread.practice_id,
            client_id=thread.client_id,
            audience=thread.audience,
        ),
        "participation": participation,
        "thread": thread,
        "participants": participants,
        "client_name": next(
            (p.user.name for p in participants if p.user_id == thread.client_id), None
        ),
        "entries": entries,
        "latest_notice": notices[-1] if notices else None,
        "archived": archived,
        "section": "messages",
        "view": thread.view,
        "routes": surface.routes(),
        "base_template": surface.base_template,
        "reply_form": ConversationReplyForm(initial={"form_token": uuid.uuid4()}),
        "conversation": conversation,
        "header_form": HeaderForm(initial={"subject": thread.subject}),
    }


def thread_page(surface: Surface) -> ThreadView:
    @page_for(surface)
    def show(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
        participation = get_participation(user, thread_id)
        actions.open_thread(participation=participation)
        context = _context(surface, user, participation)
        context["editing"] = request.GET.get("edit") == "1"
        return render(request, "messaging/thread.html", context)

    return show


def reply_page(surface: Surface) -> ThreadView:
    @page_for(surface)
    @require_POST
    def post(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
        participation = get_participation(user, thread_id)
        form = ConversationReplyForm(request.POST)
        send_at = form.send_at(user) if form.is_valid() else None
        if form.is_valid():
            body = form.cleaned_data["body"]
            is_urgent = bool(form.cleaned_data.get("urgent"))

            def send() -> None:
                def run() -> tuple[int, object]:
                    if send_at is not None:
                        item = scheduled.schedule_reply(
                            author=user,
                            participation=participation,
                            body=body,
                            send_at=send_at,
                            is_urgent=is_urgent,
                            attachment_ids=picked_ids(request),
                        )
                        return 202, {"id": item.pk}
                    entry = sending.send_reply(
                        author=user,
                        participation=participation,
                        body=body,
                        is_urgent=is_urgent,
                        attachment_ids=picked_ids(request),
                    )
                    return 201, {"id": entry.pk}

                # The same form sent twice stores one reply.
                once(user, str(form.cleaned_data["form_token"]), "page:reply", run)

            if run_action(form, send):
                if send_at is not None:
                    messages.success(request, "Your reply is scheduled (see Scheduled).")
                return redirect(surface.name("thread"), thread_id=thread_id)
        context = _context(surface, user, participation)
        context["reply_form"] = form
        response = form_page(request, "messaging/thread.html", context, form)
        response["HX-Replace-Url"] = reverse(surface.name("thread"), args=[thread_id])
        return response

    return post


def header_page(surface: Surface) -> ThreadView:
    @page_for(surface)
    @require_http_methods(["GET", "HEAD", "POST"])
    def post(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
        participation = get_participation(user, thread_id)
        edit_url = reverse(surface.name("thread"), args=[thread_id]) + "?edit=1"
        if request.method != "POST":
            # The address a failed edit leaves in the bar: reloading it opens the form.
            return redirect(edit_url)
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
        response = render(request, "messaging/thread.html", context, status=400)
        response["HX-Replace-Url"] = edit_url  # the panes show the thread's own address
        return response

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
