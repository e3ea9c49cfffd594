"""GET/PATCH /api/v1/me/notifications: the caller's email notifications (F8)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from huddle.accounts.api import caller
from huddle.core.apitypes import Error
from huddle.notifications import actions, queries
from huddle.notifications.schemas import PreferencesOut, PreferencesPatch, preferences_out

router = Router(tags=["notifications"])


@router.get("/me/notifications", response={200: PreferencesOut, 401: Error})
def get_preferences(request: HttpRequest) -> PreferencesOut:
    return preferences_out(queries.preferences_of(caller(request)))


# 403: a browser session without its CSRF token.
@router.patch(
    "/me/notifications", response={200: PreferencesOut, 400: Error, 401: Error, 403: Error}
)
def update_preferences(request: HttpRequest, payload: PreferencesPatch) -> PreferencesOut:
    prefs = actions.set_preferences(
        user=caller(request),
        internal_messages=payload.internal_messages,
        client_messages=payload.client_messages,
    )
    return preferences_out(prefs)
