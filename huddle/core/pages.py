"""Helpers shared by the page views: who may open a page, and how an action's
error becomes a form error."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from huddle.accounts.access import ADMIN_ONLY
from huddle.accounts.models import User
from huddle.core.errors import ActionError
from huddle.core.views import forbidden

P = ParamSpec("P")
AdminView = Callable[Concatenate[HttpRequest, User, P], HttpResponse]


def admin_page(view: AdminView[P]) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
    """A page for Practice Admins: others signed in get 403 with the reason."""

    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = request.user
        if not isinstance(user, User):
            return redirect_to_login(request.get_full_path())
        if not user.is_practice_admin:
            return forbidden(request, PermissionError(ADMIN_ONLY))
        return view(request, user, *args, **kwargs)

    update_wrapper(wrapper, view)
    return wrapper


def run_action(form: forms.Form, action: Callable[[], object]) -> bool:
    """Run `action`; on an ActionError put its reasons on the form and say False."""
    try:
        action()
    except ActionError as exc:
        placed = False
        for name, message in exc.fields.items():
            if name in form.fields:
                form.add_error(name, message)
                placed = True
        if not placed:
            form.add_error(None, exc.message)
        return False
    return True


def form_status(form: forms.Form) -> int:
    """Pages answer 400 when they show a form with errors."""
    return 400 if form.errors else 200
