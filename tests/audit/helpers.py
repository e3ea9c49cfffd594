"""Helpers for the audit tests: the rows written since a mark, and clients that
come from a known address."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.test import Client as HttpClient

from huddle.accounts.models import User
from huddle.audit.models import AuditEvent
from tests.conftest import Api

IP = "203.0.113.7"


def mark() -> int:
    """The id of the newest audit row so far (0 when there is none)."""
    newest: int | None = AuditEvent.objects.aggregate(m=Max("pk"))["m"]
    return newest or 0


def since(position: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=position).order_by("pk"))


def api_from_ip(user: User | None, ip: str = IP) -> Api:
    api = Api(user)
    api.http.defaults["REMOTE_ADDR"] = ip
    return api


def page_from_ip(user: User | None, ip: str = IP) -> HttpClient:
    http = HttpClient(REMOTE_ADDR=ip)
    if user is not None:
        http.force_login(user)
    return http


def all_column_text() -> list[str]:
    """Every value of every audit row, as text (to search for what must never be there)."""
    fields = [f.attname for f in AuditEvent._meta.concrete_fields]
    rows: list[Any] = list(AuditEvent.objects.values_list(*fields))
    return [str(value) for row in rows for value in row]
