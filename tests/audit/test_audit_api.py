"""GET /api/v1/audit: newest first, filtered, in cursor pages, for Practice
Admins of the practice only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from huddle.audit.models import Action, AuditEvent, ObjectType
from tests.api.helpers import error_of, field_error
from tests.conftest import Api, World


def many(world: World, n: int, **values: Any) -> list[AuditEvent]:
    """`n` views by the biller, one minute apart, the newest now (after all others)."""
    now = timezone.now()
    rows = [
        AuditEvent(
            practice=world.practice,
            actor=world.biller,
            action=Action.THREAD_VIEWED,
            object_type=ObjectType.THREAD,
            object_id=1000 + i,
            at=now - timedelta(minutes=n - 1 - i),
            ip="192.0.2.1",
        )
        for i in range(n)
    ]
    for row in rows:
        for name, value in values.items():
            setattr(row, name, value)
    return AuditEvent.objects.bulk_create(rows)


def items(api: Api, query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"/audit?limit=200{query}")
    assert response.status_code == 200, response.content
    found: list[dict[str, Any]] = response.json()["items"]
    return found


def test_the_log_is_newest_first_with_its_fields(world: World, api_as: Any) -> None:
    many(world, 3)
    found = items(api_as(world.admin))

    times = [item["at"] for item in found]
    assert times == sorted(times, reverse=True)
    newest_view = next(i for i in found if i["action"] == "thread_viewed")
    assert newest_view == {
        "id": newest_view["id"],
        "at": newest_view["at"],
        "action": "thread_viewed",
        "actor": {"id": str(world.biller.pk), "name": world.biller.name},
        "object_type": "thread",
        "object_id": "1002",
        "detail": "",
        "ip": "192.0.2.1",
    }


def test_filters_by_person_thread_action_and_time(world: World, api_as: Any) -> None:
    rows = many(world, 10)
    admin = api_as(world.admin)

    by_person = items(admin, f"&user_id={world.biller.pk}")
    assert {i["actor"]["id"] for i in by_person} == {str(world.biller.pk)}
    assert len(by_person) == 11  # the ten, and Bill's own acceptance of his invitation
    assert [i["object_id"] for i in items(admin, "&thread_id=1004")] == ["1004"]
    assert {i["action"] for i in items(admin, "&action=staff_added")} == {"staff_added"}
    assert len(items(admin, "&action=staff_added")) == 5  # the admin and the four staff
    since = rows[6].at.isoformat()
    until = rows[8].at.isoformat()
    window = items(admin, f"&action=thread_viewed&since={since}&until={until}".replace("+", "%2B"))
    assert [i["object_id"] for i in window] == ["1007", "1006"]


def test_another_practice_is_never_visible(world: World, api_as: Any) -> None:
    many(world, 5)
    outsider = api_as(world.outsider_admin)

    found = items(outsider)
    by_our_person = items(outsider, f"&user_id={world.biller.pk}")

    ours = set(AuditEvent.objects.filter(practice=world.practice).values_list("pk", flat=True))
    assert found
    assert not {int(i["id"]) for i in found} & ours
    assert by_our_person == []


def test_cursor_pages_cover_the_log_once(world: World, api_as: Any) -> None:
    many(world, 45)
    admin = api_as(world.admin)
    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        response = admin.get(f"/audit?limit=20{cursor}")
        assert response.status_code == 200
        body = response.json()
        seen += [i["id"] for i in body["items"]]
        pages += 1
        if body["next_cursor"] is None:
            break
        cursor = f"&cursor={body['next_cursor']}"
    total = AuditEvent.objects.filter(practice=world.practice).count()
    assert len(seen) == len(set(seen)) == total
    assert pages == -(-total // 20)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("user_id=abc", "user_id"),
        ("user_id=0", "user_id"),
        ("thread_id=-1", "thread_id"),
        ("thread_id=" + "9" * 30, "thread_id"),
        ("action=exported", "action"),
        ("since=yesterday", "since"),
        ("since=2026-11-27T09:00:00", "since"),
        ("until=2026-13-01T00:00:00Z", "until"),
        ("until=%00", "until"),
        ("until=0.5", "until"),
        ("since=1700000000", "since"),
        ("since=0001-01-01T00:00:00%2B01:00", "since"),
        ("until=9999-12-31T23:59:59-01:00", "until"),
        ("cursor=not-a-cursor", "cursor"),
        ("limit=0", "limit"),
        ("limit=abc", "limit"),
    ],
)
def test_bad_values_are_400_naming_the_field(
    world: World, api_as: Any, query: str, field: str
) -> None:
    field_error(api_as(world.admin).get(f"/audit?{query}"), field)


def test_staff_who_are_not_admins_get_403_and_signed_out_401(world: World, api_as: Any) -> None:
    for who in (world.clinician, world.biller, world.scheduler, world.client.user):
        error_of(api_as(who).get("/audit"), 403, "forbidden")
    error_of(api_as(None).get("/audit"), 401, "not_authenticated")
