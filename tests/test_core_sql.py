"""`huddle/core/sql.py`, the plain SQL of the hot paths: times go in exactly as
the ORM writes them and come back as the ORM reads them, on either database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.db import connection

from huddle.core import sql
from huddle.messaging.models import Participant
from tests.conftest import World

TIMES = [
    datetime(2026, 11, 27, 8, 12, 19, 123456, tzinfo=UTC),
    datetime(2026, 11, 27, 8, 12, 19, tzinfo=UTC),  # no microseconds
    datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=-5))),
]


@pytest.mark.parametrize("value", TIMES)
def test_times_are_written_as_the_orm_writes_them(value: datetime) -> None:
    assert sql.db_time(value) == connection.ops.adapt_datetimefield_value(value)


@pytest.mark.django_db
@pytest.mark.parametrize("value", TIMES)
def test_a_time_written_by_plain_sql_reads_back_equal_through_the_orm(
    world: World, value: datetime
) -> None:
    from huddle.messaging.actions import start_thread

    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Times", body="Now"
    )
    sql.execute(
        "UPDATE messaging_participant SET activity_at = %s WHERE thread_id = %s",
        (sql.db_time(value), thread.pk),
    )
    stored = Participant.objects.filter(thread=thread).values_list("activity_at", flat=True)
    assert set(stored) == {value}
    [(raw,)] = sql.fetch_all(
        "SELECT MAX(activity_at) FROM messaging_participant WHERE thread_id = %s", (thread.pk,)
    )
    assert sql.aware(raw) == value
    # And the ORM finds it by the same time (the text compares as the ORM's does).
    assert Participant.objects.filter(thread=thread, activity_at=value).count() == 2
