from __future__ import annotations

from django.http import HttpRequest

from huddle.accounts.models import User
from huddle.availability.queries import is_away


def away(request: HttpRequest) -> dict[str, object]:
    """Whether the signed-in staff member is away now: the header says "Away"."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_staff_member:
        return {}
    return {"away_now": is_away(user)}
