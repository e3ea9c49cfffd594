"""Helpers for the JSON API tests: the error shape, a snapshot of what is stored,
and the counter behind the access-matrix summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from huddle.accounts.models import ApiToken, PasswordLink, User, UserRole
from huddle.clients.models import Client
from huddle.practices.models import Location, Practice
from tests.conftest import Api

ApiAs = Callable[[User | None], Api]

# Filled by the access matrix (test_access_matrix.py); printed at the end of the run.
MATRIX_CELLS: list[str] = []


def error_of(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """Assert `response` is an API error with `status` (and `code`); return its body."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}, body
    error: dict[str, Any] = body["error"]
    assert {"code", "message"} <= set(error) <= {"code", "message", "fields"}, error
    assert isinstance(error["code"], str)
    assert isinstance(error["message"], str)
    assert error["message"]
    if code is not None:
        assert error["code"] == code, error
    return error


def field_error(response: Any, field: str, status: int = 400) -> str:
    """Assert a 400 naming `field` (exactly, or as `field.<index>`); return its message."""
    error = error_of(response, status)
    fields: dict[str, str] = error.get("fields") or {}
    named = [k for k in fields if k == field or k.startswith(f"{field}.")]
    assert named, f"expected field {field!r} in {error}"
    return fields[named[0]]


def snapshot() -> dict[str, Any]:
    """Everything the practice-administration endpoints can change, in a
    comparable form: a test takes one before and one after a refused request."""
    return {
        "practices": list(
            Practice.objects.order_by("pk").values_list(
                "pk",
                "name",
                "secure_messaging_enabled",
                "practice_messaging_enabled",
                "auto_archive_days",
                "session_idle_minutes",
                "require_two_factor",
            )
        ),
        "users": list(
            User.objects.order_by("pk").values_list(
                "pk",
                "practice_id",
                "email",
                "pending_email",
                "name",
                "kind",
                "is_active",
                "password",
            )
        ),
        "roles": sorted(UserRole.objects.values_list("user_id", "role")),
        "user_locations": sorted(
            User.locations.through.objects.values_list("user_id", "location_id")
        ),
        "locations": list(Location.objects.order_by("pk").values_list("pk", "practice_id", "name")),
        "clients": list(Client.objects.order_by("pk").values_list("pk", "practice_id")),
        "client_clinicians": sorted(
            Client.clinicians.through.objects.values_list("client_id", "user_id")
        ),
        "tokens": sorted(ApiToken.objects.values_list("pk", "user_id", "expires_at")),
        "password_links": sorted(PasswordLink.objects.values_list("pk", "user_id", "purpose")),
    }
