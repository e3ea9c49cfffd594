"""`make bench-burst`: the group send of workload 1 held for minutes, one line of
figures a minute, to see whether a long burst declines (issue #18: "no decline
over a 10-minute burst, no vacuum cliff"). See docs/PERFORMANCE.md.

    python -m bench.burst [--minutes 10] [--db sqlite|postgres] [--stack wsgi]

Each minute: messages/s, latency p50/p99, CPU per message by process (workers,
PostgreSQL, Redis, client) and, on PostgreSQL, the dead row versions of
`messaging_participant`, autovacuum's runs on it so far, and the time of the
send's after-commit read of the thread's 50 participants. The JSON goes to
`bench/results/<date>-<db>-burst.json`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import uvloop

from bench import cpu, dbs, servers
from bench.client import Person, ms
from bench.run import RESULTS, prepare
from bench.sizes import QUICK

# What the send reads after its commit, through the dead versions a burst leaves.
_THREAD_READ = (
    "SELECT p.user_id, p.unread_count FROM messaging_participant p"
    " WHERE p.thread_id = %s AND NOT p.deleted"
)
_TABLE = (
    "SELECT n_dead_tup, autovacuum_count FROM pg_stat_user_tables"
    " WHERE relname = 'messaging_participant'"
)


def _autovacuum(url: str) -> str | None:
    """PostgreSQL's `autovacuum` setting (a CI machine may have it off, which no
    production database should: a long burst then measures dead versions piling up)."""
    if dbs.is_sqlite(url):
        return None
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        cur.execute("SHOW autovacuum")
        row = cur.fetchone()
    return str(row[0]) if row else None


def _database_figures(url: str, thread: int) -> dict[str, Any]:
    if dbs.is_sqlite(url):
        return {}
    with psycopg.connect(url, autocommit=True) as conn, conn.cursor() as cur:
        began = time.perf_counter()
        cur.execute(_THREAD_READ, (thread,))
        cur.fetchall()
        read_ms = (time.perf_counter() - began) * 1000
        cur.execute(_TABLE)
        row = cur.fetchone()
    dead, vacuums = row if row else (0, 0)
    return {"dead_versions": dead, "autovacuum_runs": vacuums, "thread_read_ms": round(read_ms, 2)}


async def burst(
    stack: servers.Stack,
    url: str,
    world: dict[str, Any],
    tokens: dict[str, Any],
    minutes: int,
    period: float = 60.0,
) -> list[dict[str, Any]]:
    """The senders post to the group thread without pause for `minutes` periods of
    `period` seconds (a minute; the tests' are shorter), a row of figures each."""
    thread = world["group_thread"]
    path = f"/api/v1/threads/{thread}/messages"
    people = [Person(stack.api_url, t) for t in tokens["senders"]]
    per_minute: list[dict[str, Any]] = []
    errors: dict[str, int] = {}
    latencies: list[float] = []
    sent = 0
    stop = False

    async def sender(n: int, person: Person) -> None:
        nonlocal sent
        i = 0
        while not stop:
            status, _, took = await person.call("POST", path, {"body": f"bench burst {n}-{i}"})
            i += 1
            latencies.append(took)
            sent += 1
            if status != 201:
                errors[str(status)] = errors.get(str(status), 0) + 1

    try:
        await asyncio.gather(*(p.call("GET", "/api/v1/me") for p in people))  # warm
        tasks = [asyncio.ensure_future(sender(n, p)) for n, p in enumerate(people)]
        before, sent_before, started = cpu.snapshot(stack), sent, time.perf_counter()
        for minute in range(1, minutes + 1):
            await asyncio.sleep(period)  # the senders run meanwhile: this is the minute
            # Taken at once, so that every send counts in exactly one period.
            count, sent_before = sent - sent_before, sent
            took, latencies[:] = list(latencies), []
            after, ended = cpu.snapshot(stack), time.perf_counter()
            row = {
                "minute": minute,
                "messages": count,
                "messages_per_second": round(count / (ended - started), 1),
                "latency_ms": ms(took),
                "cpu_ms_per_message": cpu.per_item(before, after, max(1, count)),
                **_database_figures(url, thread),
            }
            before, started = after, ended
            per_minute.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        stop = True
        await asyncio.gather(*tasks)
    finally:
        await asyncio.gather(*(p.close() for p in people))
    if errors:
        raise RuntimeError(f"sends failed during the burst: {errors}")
    return per_minute


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.burst", description=__doc__)
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--stack", choices=servers.STACKS, default="wsgi")
    args = parser.parse_args(argv)
    if args.db == "sqlite":
        url = f"sqlite:///{dbs.VAR / 'run.sqlite3'}"
    else:
        url = os.environ.get("BENCH_POSTGRES_URL", dbs.POSTGRES_URL)
    started = datetime.now(UTC)
    autovacuum = _autovacuum(url)
    if autovacuum == "off":
        print(
            "PostgreSQL runs with autovacuum off: dead row versions will pile up", file=sys.stderr
        )
    prepared = prepare(url, QUICK)
    with tempfile.TemporaryDirectory(prefix="huddle-burst-") as logs:
        stack = servers.start(args.stack, url, Path(logs))
        try:
            minutes = uvloop.run(burst(stack, url, prepared.world, prepared.tokens, args.minutes))
        finally:
            stack.stop()
    document = {
        "date": started.isoformat(timespec="seconds"),
        "database": args.db,
        "database_version": dbs.server_version(url),
        "autovacuum": autovacuum,
        "stack": args.stack,
        "senders": len(prepared.tokens["senders"]),
        "minutes": minutes,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{started:%Y-%m-%d}-{args.db}-burst.json"
    out.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written: {out.relative_to(servers.ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
