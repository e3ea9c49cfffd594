"""The availability reads cost a fixed number of statements (STYLE.md 6)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.availability.helpers import notices, set_hours
from tests.client_messaging.helpers import created, start_as_client
from tests.conftest import Api, World

# The bearer token (1), the hours (1).
HOURS_STATEMENTS = 2


def test_reading_the_hours_is_one_statement_after_the_token(
    world: World, django_assert_num_queries: Any
) -> None:
    set_hours(world.admin, closed_dates=[f"2027-01-{d:02}" for d in range(1, 29)])
    api = Api(world.client.user)
    with django_assert_num_queries(HOURS_STATEMENTS):
        assert api.get("/practice/hours").status_code == 200


def test_a_thread_costs_the_same_with_one_or_five_notices(world: World) -> None:
    set_hours(world.admin)

    def cost(thread_id: str) -> int:
        api = Api(world.clinician)
        api.get(f"/threads/{thread_id}")
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(f"/threads/{thread_id}").status_code == 200
        return len(ctx.captured_queries)

    with time_machine.travel(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), tick=False):
        thread = created(start_as_client(Api(world.client.user), "clinical"))
    one = cost(thread)
    for day in range(2, 7):
        with time_machine.travel(datetime(2026, 12, day, 3, 0, tzinfo=UTC), tick=False):
            Api(world.client.user).post(f"/threads/{thread}/messages", {"body": "again"})
    # Five closed periods: Friday night and Saturday night are one (the weekend).
    assert len(notices(thread)) == 5
    assert cost(thread) == one
