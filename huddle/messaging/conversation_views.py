"""The conversation pages (F17-F21): a message's Edit, Remove and Acknowledge on
the thread page (staff and portal), and the staff's Scheduled list. They parse,
call edits / urgent / scheduled, and answer."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from huddle.accounts.models import User
from huddle.core import limits
from huddle.core.errors import ActionError, Conflict, Forbidden, InvalidInput
from huddle.messaging import edits, scheduled, urgent
from huddle.messaging.access import get_participation
from huddle.messaging.conversation_forms import practice_zone
from huddle.messaging.pages import Surface, messaging_page, page_for

MessageView = Callable[[HttpRequest, int, int], HttpResponse]


def _refused(
    request: HttpRequest, surface: Surface, user: User, thread_id: int, exc: ActionError
) -> HttpResponse:
    """The thread page again, with the reason at its top and the action's status."""
    from huddle.messaging.thread_views import _context

    context = _context(surface, user, get_participation(user, thread_id))
    context["action_error"] = exc.message
    return render(request, "messaging/thread.html", context, status=exc.status)


MESSAGE_ACTIONS = ("edit", "remove", "acknowledge")


def message_page(surface: Surface, action: str) -> MessageView:
    """POST …/<thread>/m/<message>/edit|remove|acknowledge."""

    @page_for(surface)
    @require_POST
    def post(request: HttpRequest, user: User, thread_id: int, entry_id: int) -> HttpResponse:
        get_participation(user, thread_id)  # 404 for a thread one may not see
        try:
            if action == "edit":
                # The action checks the text (empty, too long) and says why.
                body = str(request.POST.get("body", ""))
                edits.edit_message(editor=user, entry_id=entry_id, body=body)
                messages.success(request, "Your message was changed.")
            elif action == "remove":
                edits.remove_message(remover=user, entry_id=entry_id)
                messages.success(request, "Your message was removed.")
            else:
                urgent.acknowledge(user=user, entry_id=entry_id)
                messages.success(request, "Acknowledged.")
        except (InvalidInput, Conflict, Forbidden) as exc:
            return _refused(request, surface, user, thread_id, exc)
        return redirect(surface.name("thread"), thread_id=thread_id)

    return post


def message_paths(surface: Surface) -> list[URLPattern]:
    """The three message routes of a surface, named `thread_message_<action>`."""
    return [
        path(
            f"<int:thread_id>/m/<int:entry_id>/{action}",
            message_page(surface, action),
            name=surface.name(f"message_{action}"),
        )
        for action in MESSAGE_ACTIONS
    ]


class ScheduledForm(forms.Form):
    body = forms.CharField(
        label="Message", max_length=limits.BODY_MAX, strip=False, widget=forms.Textarea
    )
    send_at = forms.DateTimeField(
        label="Send at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )


def _change(request: HttpRequest, user: User, item_id: int) -> str:
    """Cancel or change one scheduled item; the reason when refused ("" when done)."""
    if request.POST.get("cancel"):
        scheduled.cancel_scheduled(user=user, item_id=item_id)
        messages.success(request, "The scheduled message was cancelled.")
        return ""
    form = ScheduledForm(request.POST, prefix=f"item{item_id}")
    if not form.is_valid():
        return "Write a message and choose a day and time."
    zone = practice_zone(user.practice)
    when = form.cleaned_data["send_at"].replace(tzinfo=None).replace(tzinfo=zone)
    scheduled.update_scheduled(
        user=user, item_id=item_id, send_at=when, body=form.cleaned_data["body"]
    )
    messages.success(request, "The scheduled message was changed.")
    return ""


@messaging_page
def scheduled_list(request: HttpRequest, user: User) -> HttpResponse:
    """The caller's scheduled messages: change or cancel the ones still to go."""
    zone = practice_zone(user.practice)
    error_for: int | None = None
    error = ""
    if request.method == "POST":
        item_id = int(request.POST.get("item", "") or 0)
        scheduled.item_of(user, item_id)  # 404 for anyone else's
        try:
            error = _change(request, user, item_id)
        except ActionError as exc:
            error = exc.message
        if not error:
            return redirect("scheduled")
        error_for = item_id
    rows = [
        (
            item,
            ScheduledForm(
                initial={"body": item.body, "send_at": item.send_at.astimezone(zone)},
                prefix=f"item{item.pk}",
            ),
        )
        for item in scheduled.scheduled_of(user)
    ]
    context = {
        "rows": rows,
        "section": "messages",
        "zone": str(zone),
        "error_for": error_for,
        "error": error,
    }
    return render(request, "messaging/scheduled.html", context, status=400 if error else 200)
