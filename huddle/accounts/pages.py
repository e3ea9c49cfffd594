"""Who may open a page: the decorator of the Practice Admins' pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase

from huddle.accounts.access import ADMIN_ONLY
from huddle.accounts.models import User
from huddle.core.views import forbidden

P = ParamSpec("P")
# HttpResponseBase: an admin page may stream a file (a practice export's download).
AdminView = Callable[Concatenate[HttpRequest, User, P], HttpResponseBase]


def admin_page(view: AdminView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponseBase]:
    """A page for Practice Admins: others signed in get 403 with the reason."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        user = request.user
        if not isinstance(user, User):
            return redirect_to_login(request.get_full_path())
        if not user.is_practice_admin:
            return forbidden(request, PermissionError(ADMIN_ONLY))
        return view(request, user, *args, **kwargs)

    update_wrapper(wrapper, view)
    return wrapper
