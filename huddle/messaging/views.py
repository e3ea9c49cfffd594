from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huddle.accounts.models import User
from huddle.core.errors import ActionError, Forbidden, NotFound
from huddle.core.pages import form_status, run_action
from huddle.core.views import not_found
from huddle.messaging import actions, queries
from huddle.messaging.access import get_participation, require_view_enabled
from huddle.messaging.forms import ComposeForm, HeaderForm, ReplyForm
from huddle.messaging.groups import staff_groups
from huddle.messaging.idempotency import once
from huddle.messaging.models import EntryKind, Participant, View

P = ParamSpec("P")
StaffView = Callable[Concatenate[HttpRequest, User, P], HttpResponse]


def messaging_page(view: StaffView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A page of the staff inbox: signed-in staff, with Practice Messaging on."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = request.user
        if not isinstance(user, User):
            return redirect_to_login(request.get_full_path())
        try:
            require_view_enabled(user, View.PRACTICE)
        except Forbidden as exc:
            context = {"message": exc.message, "section": "messages"}
            return render(request, "messaging/off.html", context, status=403)
        except NotFound:
            return not_found(request)
        try:
            return view(request, user, *args, **kwargs)
        except NotFound:
            return not_found(request)

    update_wrapper(wrapper, view)
    return wrapper


@messaging_page
def inbox(request: HttpRequest, user: User) -> HttpResponse:
    view = request.GET.get("view", View.PRACTICE)
    folder = request.GET.get("folder", "inbox")
    if view not in View.values or folder not in queries.FOLDERS:
        return not_found(request)
    try:
        page = queries.inbox(user, view=view, folder=folder, cursor=request.GET.get("cursor"))
    except ActionError:
        return redirect(f"{request.path}?view={view}&folder={folder}")
    context = {
        "page": page,
        "view": view,
        "folder": folder,
        "section": "messages",
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
    choices, group_members = _recipient_choices(user)
    form = ComposeForm(request.POST or None, choices=choices, initial={"form_token": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        user_ids, group_keys = form.picked()
        data = form.cleaned_data
        result: dict[str, int] = {}

        def send() -> None:
            def run() -> tuple[int, object]:
                thread = actions.start_thread(
                    sender=user,
                    user_ids=user_ids,
                    group_keys=group_keys,
                    subject=data["subject"],
                    body=data["body"],
                )
                return 201, {"thread_id": thread.pk}

            # A double click or a resubmitted form carries the same token: one thread.
            _, body = once(user, str(data["form_token"]), "page:compose", run)
            result.update(body)

        if run_action(form, send):
            messages.success(request, "Your message was sent.")
            return redirect("thread", thread_id=result["thread_id"])
    context = {"form": form, "group_members": group_members, "section": "messages"}
    return render(request, "messaging/compose.html", context, status=form_status(form))


def _thread_context(user: User, participation: Participant) -> dict[str, object]:
    entries = list(queries.timeline(participation))
    notices = [e for e in entries if e.kind == EntryKind.HEADER_CHANGED]
    cutoff = queries.archive_cutoff(user)
    return {
        "participation": participation,
        "thread": participation.thread,
        "participants": queries.thread_participants(participation),
        "entries": entries,
        "latest_notice": notices[-1] if notices else None,
        "archived": queries.is_archived(participation, cutoff),
        "section": "messages",
    }


@messaging_page
def thread(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
    participation = get_participation(user, thread_id)
    was_unread = participation.unread_count
    actions.mark_read(participation=participation)
    context = _thread_context(user, participation)
    context["reply_form"] = ReplyForm(initial={"form_token": uuid.uuid4()})
    context["header_form"] = HeaderForm(initial={"subject": participation.thread.subject})
    context["editing"] = request.GET.get("edit") == "1"
    context["was_unread"] = was_unread
    return render(request, "messaging/thread.html", context)


@messaging_page
@require_POST
def post_reply(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
    participation = get_participation(user, thread_id)
    form = ReplyForm(request.POST)
    if form.is_valid():
        body = form.cleaned_data["body"]

        def send() -> None:
            def run() -> tuple[int, object]:
                entry = actions.reply(author=user, participation=participation, body=body)
                return 201, {"id": entry.pk}

            once(user, str(form.cleaned_data["form_token"]), "page:reply", run)

        if run_action(form, send):
            return redirect("thread", thread_id=thread_id)
    context = _thread_context(user, participation)
    context.update(
        reply_form=form, header_form=HeaderForm(initial={"subject": participation.thread.subject})
    )
    return render(request, "messaging/thread.html", context, status=400)


@messaging_page
@require_POST
def edit_header(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
    participation = get_participation(user, thread_id)
    form = HeaderForm(request.POST)
    if form.is_valid():
        subject = form.cleaned_data["subject"]
        if run_action(
            form,
            lambda: actions.edit_header(editor=user, participation=participation, subject=subject),
        ):
            return redirect("thread", thread_id=thread_id)
    context = _thread_context(user, participation)
    context.update(
        reply_form=ReplyForm(initial={"form_token": uuid.uuid4()}), header_form=form, editing=True
    )
    return render(request, "messaging/thread.html", context, status=400)


def _state_change(
    action: Callable[[Participant], object], done: str, *, to_inbox: bool
) -> Callable[[HttpRequest, int], HttpResponse]:
    @messaging_page
    @require_POST
    def change(request: HttpRequest, user: User, thread_id: int) -> HttpResponse:
        participation = get_participation(user, thread_id)
        action(participation)
        messages.success(request, done)
        if to_inbox:
            return redirect("inbox")
        return redirect("thread", thread_id=thread_id)

    return change


archive = _state_change(
    lambda p: actions.archive(participation=p), "The thread was archived.", to_inbox=True
)
unarchive = _state_change(
    lambda p: actions.unarchive(participation=p),
    "The thread is back in your Inbox.",
    to_inbox=False,
)
delete = _state_change(
    lambda p: actions.delete_for_user(participation=p),
    "The thread was deleted from your folders. It comes back if someone replies.",
    to_inbox=True,
)
mark_unread = _state_change(
    lambda p: actions.mark_unread(participation=p), "The thread is marked unread.", to_inbox=True
)
