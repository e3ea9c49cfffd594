"""`make bench-burst` cannot rot: the held group send runs for two short periods
against the tiny world, and each period's row counts what was really stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import dbs, servers
from bench.build import build, issue_tokens
from bench.burst import burst
from bench.sizes import TINY
from huddle.messaging.models import Entry
from tests.events.servers import run_async
from tests.events.servers import test_database_url as database_url

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_held_burst_reports_each_period_and_stores_every_send(tmp_path: Path) -> None:
    world = build(TINY, progress=lambda line: None)
    url = database_url()
    stack = servers.start("wsgi", url, tmp_path)
    try:
        rows = run_async(burst(stack, url, world, issue_tokens(world), 2, period=1.0))
    finally:
        stack.stop()

    assert [row["minute"] for row in rows] == [1, 2]
    assert all(row["messages"] > 0 for row in rows), rows
    assert all(row["latency_ms"]["n"] == row["messages"] for row in rows), rows
    assert all(row["cpu_ms_per_message"]["wsgi"] > 0 for row in rows), rows
    if not dbs.is_sqlite(url):
        assert all(row["dead_versions"] >= 0 and row["thread_read_ms"] > 0 for row in rows)
    stored = Entry.objects.filter(
        thread_id=world["group_thread"], body__startswith="bench burst "
    ).count()
    counted = sum(row["messages"] for row in rows)
    # The sends in flight when the last period ends are stored too (one per sender at most).
    assert counted <= stored <= counted + TINY.senders
