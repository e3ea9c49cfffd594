"""The page wrappers of the two doors onto messaging: the staff inbox and the
client portal. Each checks who may open it and turns Forbidden and NotFound
into the page that says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huddle.accounts.models import Kind, User
from huddle.core.errors import Forbidden, NotFound
from huddle.core.pages import run_action
from huddle.core.switches import SECURE_MESSAGING_OFF
from huddle.core.views import not_found
from huddle.messaging.idempotency import once
from huddle.messaging.models import Thread

P = ParamSpec("P")
UserView = Callable[Concatenate[HttpRequest, User, P], HttpResponse]
Page = Callable[Concatenate[HttpRequest, P], HttpResponse]


@dataclass(frozen=True)
class Surface:
    """Where a thread page is shown: URL names and the base template."""

    kind: str
    prefix: str
    base_template: str
    signin_url: str
    list_template: str

    def name(self, route: str) -> str:
        """URL names: "inbox", "thread", "thread_reply", … ("portal_…" on the portal)."""
        base = route if route in ("inbox", "thread") else f"thread_{route}"
        return f"{self.prefix}{base}"

    def routes(self) -> dict[str, str]:
        names: tuple[str, ...] = ("inbox", "thread", "reply", "header", "archive", "unarchive")
        names += ("delete", "unread")
        # conversation: edit, remove, acknowledge a message
        names += ("message_edit", "message_remove", "message_acknowledge")
        return {n: self.name(n) for n in names}


STAFF = Surface(
    kind=Kind.STAFF,
    prefix="",
    base_template="core/base.html",
    signin_url="/signin",
    list_template="messaging/_inbox_pane.html",
)
PORTAL = Surface(
    kind=Kind.CLIENT,
    prefix="portal_",
    base_template="portal/base.html",
    signin_url="/portal/signin",
    list_template="portal/_inbox_pane.html",
)


def page_for(surface: Surface) -> Callable[[UserView[P]], Page[P]]:
    """Signed-in people of the surface's kind; Forbidden (messaging off) and
    NotFound become their pages."""

    def decorate(view: UserView[P]) -> Page[P]:
        def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user = request.user
            if not isinstance(user, User):
                return redirect_to_login(request.get_full_path(), surface.signin_url)
            if user.kind != surface.kind:
                return not_found(request)
            try:
                if not user.practice.secure_messaging_enabled:
                    raise Forbidden(SECURE_MESSAGING_OFF)
                return view(request, user, *args, **kwargs)
            except Forbidden as exc:
                context = {
                    "message": exc.message,
                    "section": "messages",
                    "base_template": surface.base_template,
                }
                return render(request, "messaging/off.html", context, status=403)
            except NotFound:
                return not_found(request)

        update_wrapper(wrapper, view)
        return wrapper

    return decorate


messaging_page = page_for(STAFF)
portal_page = page_for(PORTAL)


def start_once(form: forms.Form, user: User, scope: str, start: Callable[[], Thread]) -> int | None:
    """Run `start` for a valid compose form at most once per form token (a double
    click or a resubmitted form gives one thread); the new thread's id, or None
    with the action's error put on the form."""
    started: dict[str, int] = {}

    def send() -> None:
        def run() -> tuple[int, object]:
            return 201, {"thread_id": start().pk}

        _, body = once(user, str(form.cleaned_data["form_token"]), scope, run)
        started.update(body)

    return started["thread_id"] if run_action(form, send) else None
