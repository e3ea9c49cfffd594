"""The page wrappers of the two doors onto messaging: the staff inbox and the
client portal. Each checks who may open it and turns Forbidden and NotFound
into the page that says so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huddle.accounts.models import Kind, User
from huddle.core.errors import Forbidden, NotFound
from huddle.core.views import not_found
from huddle.messaging.access import SECURE_MESSAGING_OFF

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

    def name(self, route: str) -> str:
        """URL names: "inbox", "thread", "thread_reply", … ("portal_…" on the portal)."""
        base = route if route in ("inbox", "thread") else f"thread_{route}"
        return f"{self.prefix}{base}"

    def routes(self) -> dict[str, str]:
        names = ("inbox", "thread", "reply", "header", "archive", "unarchive", "delete", "unread")
        return {n: self.name(n) for n in names}


STAFF = Surface(kind=Kind.STAFF, prefix="", base_template="core/base.html", signin_url="/signin")
PORTAL = Surface(
    kind=Kind.CLIENT,
    prefix="portal_",
    base_template="portal/base.html",
    signin_url="/portal/signin",
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
