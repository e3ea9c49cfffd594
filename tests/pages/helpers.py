"""Small helpers for the page tests: reading a page's text and checking the
answers every admin page gives to people who may not use it."""

from __future__ import annotations

import html
from typing import Any

from huddle.accounts.access import ADMIN_ONLY

ADMIN_ONLY_START = "Only a Practice Admin can manage"


def text(response: Any) -> str:
    """The page's HTML with entities decoded, for matching what a person reads."""
    return html.unescape(response.content.decode())


def assert_signin_redirect(response: Any, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/signin?next=")
    assert path.rstrip("/") in html.unescape(response["Location"]).replace("%2F", "/")


def assert_admin_only(response: Any) -> None:
    assert response.status_code == 403
    body = text(response)
    assert ADMIN_ONLY_START in body
    assert ADMIN_ONLY in body


def assert_not_found(response: Any) -> None:
    assert response.status_code == 404
    assert "This page does not exist, or you may not see it." in text(response)


def field_error(response: Any, message: str) -> None:
    """The form came back with status 400 and shows `message`."""
    assert response.status_code == 400
    assert message in text(response)


def snapshot(practice_id: int) -> dict[str, Any]:
    """Everything an admin page can change in one practice, as plain values."""
    from huddle.accounts.models import Kind, User
    from huddle.clients.models import Client
    from huddle.practices.models import Location, Practice

    practice = Practice.objects.get(pk=practice_id)
    staff = User.objects.filter(practice_id=practice_id, kind=Kind.STAFF).order_by("pk")
    clients = Client.objects.filter(practice_id=practice_id).select_related("user").order_by("pk")
    return {
        "settings": (
            practice.secure_messaging_enabled,
            practice.practice_messaging_enabled,
            practice.auto_archive_days,
            practice.session_idle_minutes,
        ),
        "locations": sorted(
            Location.objects.filter(practice_id=practice_id).values_list("pk", "name")
        ),
        "staff": [
            (
                u.pk,
                u.name,
                u.email,
                u.is_active,
                u.password,
                sorted(u.roles.values_list("role", flat=True)),
                sorted(u.locations.values_list("pk", flat=True)),
            )
            for u in staff
        ],
        "clients": [
            (
                c.pk,
                c.user.name,
                c.user.email,
                c.user.is_active,
                sorted(c.clinicians.values_list("pk", flat=True)),
            )
            for c in clients
        ],
    }
