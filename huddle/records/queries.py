"""Reads for the records pages."""

from __future__ import annotations

from django.db.models import QuerySet

from huddle.accounts.access import require_practice_admin
from huddle.accounts.models import User
from huddle.clients.models import Client
from huddle.records.models import EmergencyAccess

SEARCH_MAX = 20


def recent_emergency_accesses(user: User, limit: int = 50) -> list[EmergencyAccess]:
    """The practice's emergency accesses, newest first, for its Practice Admins."""
    require_practice_admin(user)
    return list(
        EmergencyAccess.objects.filter(practice_id=user.practice_id)
        .select_related("user", "client__user")
        .order_by("-created_at", "-pk")[:limit]
    )


def clients_named(user: User, q: str) -> QuerySet[Client]:
    """Clients of the caller's practice whose name holds `q` (none for an empty `q`)."""
    q = " ".join(q.split())
    found = Client.objects.filter(practice_id=user.practice_id).select_related("user")
    if not q or "\x00" in q:
        return found.none()
    return found.filter(user__name__icontains=q).order_by("user__name", "pk")[:SEARCH_MAX]


def client_of(user: User, client_id: int) -> Client | None:
    """A client of the caller's practice (None for another practice's)."""
    return (
        Client.objects.filter(pk=client_id, practice_id=user.practice_id)
        .select_related("user")
        .first()
    )
