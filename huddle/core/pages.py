"""Helpers shared by the page views: how an action's error becomes a form error.
(Who may open a page is the accounts app's: `accounts.pages.admin_page`.)"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from huddle.core.errors import ActionError, RateLimited


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
        if isinstance(exc, RateLimited):
            # Kept with the error, so the page can answer 429 with Retry-After.
            params = {"retry_after": exc.retry_after}
            form.add_error(None, forms.ValidationError(exc.message, code=exc.code, params=params))
        elif not placed:
            form.add_error(None, exc.message)
        return False
    return True


def retry_after(form: forms.Form) -> int | None:
    """The seconds to wait when the form's action was refused for sending too fast."""
    for error in form.errors.as_data().get(NON_FIELD_ERRORS, []):
        if error.code == RateLimited.code and error.params:
            return int(error.params["retry_after"])
    return None


def form_status(form: forms.Form) -> int:
    """Pages answer 400 when they show a form with errors, 429 when it was sent
    too fast (the typed text is still in the form)."""
    if retry_after(form) is not None:
        return 429
    return 400 if form.errors else 200


def form_page(
    request: HttpRequest, template: str, context: dict[str, object], form: forms.Form
) -> HttpResponse:
    """The page with its form again: 200, 400 with the errors, or 429 with Retry-After."""
    response = render(request, template, context, status=form_status(form))
    seconds = retry_after(form)
    if seconds is not None:
        response["Retry-After"] = str(seconds)
    return response
