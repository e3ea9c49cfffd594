"""Retention and legal holds (F15): settings with their limits, the purge step in
bounded batches with one audit row of counts, holds that stop it, a user's
delete that removes nothing; holds placed and released by Practice Admins."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import time_machine
from django.utils import timezone

from huddle.audit.models import Action, AuditEvent
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from huddle.messaging.models import Entry, Participant, Thread
from huddle.records import retention
from huddle.records.models import LegalHold, RetentionSettings
from tests.conftest import World
from tests.records.helpers import client_thread, outsider_thread, staff_thread

REASON = "Litigation hold requested by counsel"


def _old_threads(world: World, years: float = 8) -> list[Thread]:
    with time_machine.travel(timezone.now() - timedelta(days=365.25 * years)):
        return [staff_thread(world), client_thread(world)]


def test_retention_settings_default_and_change(world: World, api_as: Any) -> None:
    api = api_as(world.admin)
    assert api.get("/practice/retention").json() == {
        "retention_years": 7,
        "purge_after_retention": False,
    }

    response = api.patch(
        "/practice/retention", {"retention_years": 10, "purge_after_retention": True}
    )

    assert response.status_code == 200
    stored = RetentionSettings.objects.get(practice=world.practice)
    assert (stored.retention_years, stored.purge_after_retention) == (10, True)
    row = AuditEvent.objects.get(action=Action.RETENTION_CHANGED)
    assert row.detail == "purge_after_retention, retention_years"


def test_retention_years_outside_6_to_30_is_400(world: World, api_as: Any) -> None:
    api = api_as(world.admin)
    for years in (5, 31, 0, -1):
        response = api.patch("/practice/retention", {"retention_years": years})
        assert response.status_code == 400
        assert "retention_years" in response.json()["error"]["fields"]
    assert api.patch("/practice/retention", {"retention_years": "x"}).status_code == 400
    assert not RetentionSettings.objects.exists()


def test_only_practice_admins_change_retention(world: World, api_as: Any) -> None:
    for user in (world.clinician, world.biller, world.client.user):
        assert api_as(user).patch("/practice/retention", {"retention_years": 9}).status_code == 403
    api_as(world.outsider_admin).patch("/practice/retention", {"purge_after_retention": True})
    assert retention.settings_of(world.practice.pk).purge_after_retention is False


def test_nothing_is_purged_while_purging_is_off(world: World) -> None:
    _old_threads(world)
    assert retention.purge_step() == 0
    assert Thread.objects.filter(practice=world.practice).count() == 2


def test_purge_removes_threads_past_retention_in_bounded_batches(world: World) -> None:
    old = _old_threads(world)
    recent = staff_thread(world)
    outsider_old = _old_threads_outsider(world)
    retention.update_retention(user=world.admin, purge_after_retention=True)

    assert retention.purge_step(limit=1) == 1
    assert retention.purge_step(limit=1) == 1
    assert retention.purge_step(limit=1) == 0

    assert list(Thread.objects.filter(practice=world.practice)) == [recent]
    assert not Entry.objects.filter(thread_id__in=[t.pk for t in old]).exists()
    assert not Participant.objects.filter(thread_id__in=[t.pk for t in old]).exists()
    assert Thread.objects.filter(
        pk=outsider_old.pk
    ).exists()  # the other practice keeps 7 years off
    rows = AuditEvent.objects.filter(action=Action.RECORDS_PURGED).order_by("pk")
    assert [r.detail for r in rows] == [
        "threads=1 messages=1 header_changes=0",
        "threads=1 messages=1 header_changes=0",
    ]
    assert all(r.practice_id == world.practice.pk and r.actor_id is None for r in rows)


def _old_threads_outsider(world: World) -> Thread:
    with time_machine.travel(timezone.now() - timedelta(days=365 * 20)):
        return outsider_thread(world)


def test_a_thread_younger_than_retention_is_kept(world: World) -> None:
    _old_threads(world, years=6.5)
    retention.update_retention(user=world.admin, purge_after_retention=True)
    assert retention.purge_step() == 0
    retention.update_retention(user=world.admin, retention_years=6)
    assert retention.purge_step() == 2


def test_holds_stop_the_purge_until_released(world: World, api_as: Any) -> None:
    staff, client = _old_threads(world)
    retention.update_retention(user=world.admin, purge_after_retention=True)
    api = api_as(world.admin)

    practice_hold = api.post("/legal-holds", {"scope": "practice", "reason": REASON})
    assert practice_hold.status_code == 201
    assert retention.purge_step() == 0
    client_hold = api.post(
        "/legal-holds", {"scope": "client", "client_id": str(world.client.pk), "reason": REASON}
    ).json()
    thread_hold = api.post(
        "/legal-holds", {"scope": "thread", "thread_id": str(staff.pk), "reason": REASON}
    ).json()
    assert api.delete(f"/legal-holds/{practice_hold.json()['id']}").status_code == 204
    assert retention.purge_step() == 0  # the client's and the thread's holds cover both

    assert api.delete(f"/legal-holds/{client_hold['id']}").status_code == 204
    assert retention.purge_step() == 1
    assert list(Thread.objects.filter(practice=world.practice)) == [staff]
    assert [h["id"] for h in api.get("/legal-holds").json()["items"]] == [thread_hold["id"]]
    placed = AuditEvent.objects.filter(action=Action.LEGAL_HOLD_PLACED).count()
    released = AuditEvent.objects.filter(action=Action.LEGAL_HOLD_RELEASED).count()
    assert (placed, released) == (3, 2)
    assert not Thread.objects.filter(pk=client.pk).exists()


def test_a_users_delete_removes_nothing(world: World) -> None:
    thread = staff_thread(world)
    for user in (world.clinician, world.co_clinician, world.biller):
        actions.delete_for_user(participation=get_participation(user, thread.pk))
    assert Entry.objects.filter(thread=thread).count() == 1
    assert Participant.objects.filter(thread=thread, deleted=True).count() == 3


def test_hold_on_another_practices_client_or_thread_is_404(world: World, api_as: Any) -> None:
    theirs = outsider_thread(world)
    api = api_as(world.admin)
    client = api.post(
        "/legal-holds",
        {"scope": "client", "client_id": str(world.outsider_client.pk), "reason": REASON},
    )
    thread = api.post(
        "/legal-holds", {"scope": "thread", "thread_id": str(theirs.pk), "reason": REASON}
    )
    assert (client.status_code, thread.status_code) == (404, 404)
    assert not LegalHold.objects.exists()


def test_hold_input_is_checked(world: World, api_as: Any) -> None:
    api = api_as(world.admin)
    cases = [
        ({"scope": "practice"}, "reason"),
        ({"scope": "practice", "reason": "too short"}, "reason"),
        ({"scope": "galaxy", "reason": REASON}, "scope"),
        ({"scope": "client", "reason": REASON}, "client_id"),
        ({"scope": "thread", "reason": REASON}, "thread_id"),
    ]
    for payload, field in cases:
        response = api.post("/legal-holds", payload)
        assert response.status_code == 400, payload
        assert field in response.json()["error"]["fields"]
    assert not LegalHold.objects.exists()


def test_only_practice_admins_see_and_change_holds(world: World, api_as: Any) -> None:
    hold = retention.place_hold(user=world.admin, scope="practice", reason=REASON)
    for user in (world.clinician, world.biller, world.client.user):
        api = api_as(user)
        assert api.get("/legal-holds").status_code == 403
        assert api.post("/legal-holds", {"scope": "practice", "reason": REASON}).status_code == 403
        assert api.delete(f"/legal-holds/{hold.pk}").status_code == 403
    outsider = api_as(world.outsider_admin)
    assert outsider.get("/legal-holds").json() == {"items": []}
    assert outsider.delete(f"/legal-holds/{hold.pk}").status_code == 404
    hold.refresh_from_db()
    assert hold.released_at is None
