"""Helpers of the availability tests: setting hours and away through the API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from huddle.accounts.models import User
from huddle.messaging.models import Entry, EntryKind
from tests.conftest import Api

WEEKDAYS_8_TO_5 = {day: [["08:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def put(api: Api, path: str, body: Any) -> Any:
    return api.call("PUT", path, body)


def set_hours(admin: User, **overrides: Any) -> dict[str, Any]:
    """PUT /practice/hours as a Practice Admin: New York, weekdays 08:00-17:00."""
    body: dict[str, Any] = {
        "timezone": "America/New_York",
        "weekly": WEEKDAYS_8_TO_5,
        "closed_dates": [],
        **overrides,
    }
    response = put(Api(admin), "/practice/hours", body)
    assert response.status_code == 200, response.content
    answer: dict[str, Any] = response.json()
    return answer


def set_away(user: User, starts_at: datetime, ends_at: datetime, **more: Any) -> Any:
    body = {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), **more}
    return put(Api(user), "/me/away", body)


def timeline(api: Api, thread_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/threads/{thread_id}")
    assert response.status_code == 200, response.content
    items: list[dict[str, Any]] = response.json()["timeline"]
    return items


def notices(thread_id: str) -> list[Entry]:
    """The automatic notices stored in a thread, oldest first."""
    return list(
        Entry.objects.filter(thread_id=int(thread_id), kind=EntryKind.AUTO_REPLY)
        .select_related("notice")
        .order_by("pk")
    )
