"""Who may do what: the one place that answers it for pages and the API."""

from __future__ import annotations

from huddle.accounts.models import User
from huddle.core.errors import Forbidden

ADMIN_ONLY = (
    "Only a Practice Admin can manage the practice's settings, locations, staff and clients."
)


def require_practice_admin(user: User) -> None:
    if not user.is_practice_admin:
        raise Forbidden(ADMIN_ONLY)


def require_staff(user: User) -> None:
    if not user.is_staff_member:
        raise Forbidden("This part of Huddle is for practice staff.")
