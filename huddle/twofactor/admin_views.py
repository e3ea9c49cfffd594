"""A Practice Admin resets a staff member's two-factor sign-in (a lost phone and
lost recovery codes), from their page under Settings (a client's: clients/views.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from huddle.accounts import queries as account_queries
from huddle.accounts.models import User
from huddle.accounts.pages import admin_page
from huddle.core.errors import ActionError, NotFound
from huddle.core.views import not_found
from huddle.twofactor import actions


def reset(request: HttpRequest, user: User, person: User) -> None:
    """Reset `person`'s two-factor sign-in, and say how it went."""
    try:
        actions.reset_by_admin(actor=user, person=person)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"Two-factor sign-in of {person.name} was reset; they were signed out everywhere.",
        )


@admin_page
@require_POST
def staff_reset(request: HttpRequest, user: User, staff_id: int) -> HttpResponse:
    try:
        person = account_queries.get_staff(user.practice, staff_id)
    except NotFound:
        return not_found(request)
    reset(request, user, person)
    return redirect("staff_edit", staff_id=person.pk)
