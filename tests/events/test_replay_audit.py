"""A replay of history (Last-Event-ID) sends message text again: each is an
audit row per thread, with how many entries, and replays are bounded in count
and age (issue #19, finding 3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huddle.audit.models import Action, AuditEvent
from huddle.events.opening import REPLAY_MAX
from huddle.messaging.actions import reply, start_thread
from huddle.messaging.models import Entry, Participant
from huddle.messaging.stream_source import REPLAY_HOURS, record_replay
from tests.conftest import World
from tests.events.test_events_view import events_of

pytestmark = pytest.mark.django_db


def replays() -> list[tuple[int | None, int | None, str]]:
    rows = AuditEvent.objects.filter(action=Action.HISTORY_REPLAYED).order_by("object_id")
    return list(rows.values_list("actor_id", "object_id", "detail"))


def test_a_replay_is_audited_per_thread_with_its_count(world: World, api_as: Any) -> None:
    claims = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="One"
    )
    rota = start_thread(
        sender=world.admin, user_ids=[world.biller.pk], subject="Rota", body="Monday"
    )
    cleo = Participant.objects.get(thread=claims, user=world.clinician)
    reply(author=world.clinician, participation=cleo, body="Two")
    bill = api_as(world.biller)

    bill.headers["Last-Event-ID"] = "0"
    messages = [e for e in events_of(bill.get("/events")) if e.event == "message"]
    assert len(messages) == 3
    assert replays() == [
        (world.biller.pk, claims.pk, "2 entries"),
        (world.biller.pk, rota.pk, "1 entry"),
    ]

    # A fresh connection replays nothing and records nothing; nor does an outsider's.
    del bill.headers["Last-Event-ID"]
    assert [e.event for e in events_of(bill.get("/events"))] == ["unread"]
    outsider = api_as(world.outsider_clinician)
    outsider.headers["Last-Event-ID"] = "0"
    assert [e.event for e in events_of(outsider.get("/events"))] == ["unread"]
    assert len(replays()) == 2
    # The rows hold ids and counts, never text.
    assert not AuditEvent.objects.filter(detail__contains="Two").exists()


def test_replays_are_bounded_in_count_and_age(world: World, api_as: Any) -> None:
    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="Old"
    )
    Entry.objects.filter(thread=thread).update(
        created_at=timezone.now() - timedelta(hours=REPLAY_HOURS, minutes=1)
    )
    cleo = Participant.objects.get(thread=thread, user=world.clinician)
    recent = [reply(author=world.clinician, participation=cleo, body=f"R{n}") for n in range(101)]
    bill = api_as(world.biller)
    bill.headers["Last-Event-ID"] = "0"
    messages = [e for e in events_of(bill.get("/events")) if e.event == "message"]
    assert REPLAY_MAX == 100
    assert [e.id for e in messages] == [str(r.pk) for r in recent[:REPLAY_MAX]]
    assert replays() == [(world.biller.pk, thread.pk, f"{REPLAY_MAX} entries")]


def test_a_replay_of_many_threads_writes_its_audit_rows_in_one_statement(world: World) -> None:
    for n in range(20):
        start_thread(sender=world.clinician, user_ids=[world.biller.pk], subject=f"T{n}", body="x")
    entries = list(Entry.objects.order_by("pk"))

    def statements(replayed: list[Entry]) -> int:
        with CaptureQueriesContext(connection) as captured:
            record_replay(world.biller, replayed)
        return len(captured)

    assert statements(entries[:2]) == statements(entries) == 1
    assert len(replays()) == 22
    assert {detail for _, _, detail in replays()} == {"1 entry"}
