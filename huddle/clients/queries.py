from __future__ import annotations

from django.db.models import QuerySet

from huddle.clients.models import Client
from huddle.core.errors import NotFound
from huddle.core.pagination import Page, by_name
from huddle.practices.models import Practice


def _clients(practice: Practice) -> QuerySet[Client]:
    return (
        Client.objects.filter(practice=practice)
        .select_related("user")
        .prefetch_related("clinicians")
    )


def list_clients(
    practice: Practice, *, cursor: str | None = None, limit: int | None = None
) -> Page[Client]:
    return by_name(_clients(practice), cursor=cursor, limit=limit, field="user__name")


def get_client(practice: Practice, client_id: int) -> Client:
    try:
        return _clients(practice).get(pk=client_id)
    except Client.DoesNotExist:
        raise NotFound from None
