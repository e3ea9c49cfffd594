from __future__ import annotations

from django.db.models import QuerySet

from huddle.accounts.models import Kind, Role, User
from huddle.core.errors import NotFound
from huddle.core.pagination import Page, by_name
from huddle.practices.models import Practice


def _staff(practice: Practice) -> QuerySet[User]:
    return User.objects.filter(practice=practice, kind=Kind.STAFF).prefetch_related(
        "roles", "locations"
    )


def list_staff(
    practice: Practice, *, cursor: str | None = None, limit: int | None = None
) -> Page[User]:
    return by_name(_staff(practice), cursor=cursor, limit=limit)


def get_staff(practice: Practice, staff_id: int) -> User:
    try:
        return _staff(practice).get(pk=staff_id)
    except User.DoesNotExist:
        raise NotFound from None


def active_clinicians(practice: Practice) -> list[User]:
    return list(
        User.objects.filter(
            practice=practice, kind=Kind.STAFF, is_active=True, roles__role=Role.CLINICIAN
        ).order_by("name", "pk")
    )
