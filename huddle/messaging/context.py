from __future__ import annotations

from django.http import HttpRequest

from huddle.accounts.models import User
from huddle.messaging.queries import unread_counts


def unread(request: HttpRequest) -> dict[str, object]:
    """The header badge's counts, on every page of a signed-in person."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    counts = unread_counts(user)
    if not user.is_staff_member:
        return {"portal_unread": counts["clients"]}
    return {"unread": counts, "unread_total": counts["practice"] + counts["clients"]}
