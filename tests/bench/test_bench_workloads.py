"""`make bench` cannot rot: every workload runs tiny, through the same code, on
both server stacks, against the test database. Results are checked (messages
stored, events received, pages and counts right), never times."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from bench import dbs, report, servers
from bench.build import build, issue_tokens
from bench.run import RECOMMENDED, Prepared, run_stack
from bench.sizes import TINY
from huddle.attachments.models import Attachment
from huddle.messaging.models import Entry, Thread
from tests.events.servers import run_async
from tests.events.servers import test_database_url as database_url

pytestmark = pytest.mark.django_db(transaction=True)


def quiet(line: str) -> None:
    del line


def run_everything(tmp_path: Path) -> tuple[dict[str, Any], dict[str, Any], str]:
    world = build(TINY, progress=quiet)
    url = database_url()
    prepared = Prepared(url=url, world=world, tokens=issue_tokens(world), build_seconds=None)
    results: dict[str, Any] = {}
    for name in servers.STACKS:
        stack = servers.start(name, url, tmp_path)
        try:
            results[name] = run_async(
                run_stack(stack, prepared, TINY, everything=name == RECOMMENDED, say=quiet)
            )
        finally:
            stack.stop()
    return world, results, url


def test_every_workload_runs_tiny_on_both_stacks(tmp_path: Path) -> None:
    world, results, url = run_everything(tmp_path)
    thread = world["group_thread"]

    for name, result in results.items():
        send = result["group_send"]
        assert send["errors"] == {}, name
        assert send["latency_ms"]["n"] == TINY.messages
        assert send["delivered"] == TINY.messages, f"{name}: the stream missed messages"
        assert result["trivial"]["errors"] == 0
        assert result["trivial"]["latency_ms"]["n"] == TINY.floor_requests
        assert all(mib > 0 for mib in result["rss_mib"].values()), result["rss_mib"]
        assert result["signin_burst"]["statuses"].get("201", 0) > 0, result["signin_burst"]
        peaks = result["peak_rss_mib"]
        assert all(peaks[p] >= result["rss_mib"][p] for p in result["rss_mib"]), peaks
        # Where the sends' CPU went, by process group: the servers' share is seen.
        spent = send["cpu_ms_per_message"]
        servers_ms = sum(v for k, v in spent.items() if k in {"wsgi", "events", "asgi"})
        assert servers_ms > 0, spent
        assert {"client", "postgres", "redis", "machine"} <= set(spent)
    assert set(results["wsgi"]["rss_mib"]) >= {"wsgi worker 1", "wsgi worker 2", "events main"}
    stored = Entry.objects.filter(thread_id=thread, body__startswith="bench load ").count()
    assert stored == TINY.messages * len(servers.STACKS)

    full = results[RECOMMENDED]
    assert full["quiet_delivery"]["lost"] == 0
    assert full["quiet_delivery"]["delivery_ms"]["n"] == TINY.quiet_deliveries
    for size, inbox in full["inbox"].items():
        threads = int(size)
        assert inbox["page_items"] == min(threads, 50)
        assert inbox["badge"] == {"practice": math.ceil(threads / 20), "clients": 0}
        assert inbox["first_page_ms"]["n"] == TINY.inbox_requests
    assert full["fan_out"]["participants"] == TINY.staff
    assert Thread.objects.filter(subject__startswith="Bench fan-out").count() == TINY.fanouts
    files = full["attachments"]
    assert files["errors"] == {}
    assert files["uploads"] == files["downloads"] == 2
    assert Attachment.objects.filter(entry__body__startswith="bench files ").count() == 3 * 3

    floor = dbs.commit_rate(url, TINY.floor_seconds)
    assert floor["commits_per_second"] > 0
    document = {
        "database_version": dbs.server_version(url),
        "date": "today",
        "machine": {"cpus": 2},
        "loadavg_before": (0.0, 0.0, 0.0),
        "commit_floor": floor,
        "stacks": results,
    }
    table = report.table(document)
    assert "1. group send" in table
    assert "4. fan-out to 12" in table
    assert "CPU ms per message" in table
