"""The search workload of issue #12, in one process against one database.

    python -m bench.search [--messages 1000000] [--db sqlite|postgres] [--requests 100]

A practice with `messages` messages in `messages / 10` threads, two people on
each; the searcher is on a tenth of them (10,000 threads at full size), so the
query must leave out nine threads in ten by the access rule. One word is rare
(10 messages), one is in 10 % of all messages. Timed: `search.queries.search`
for the first page of 20, as the API and the page call it (the HTTP and Django
layers around it are the inbox's, measured in PERFORMANCE.md), p50 and p95; and
the CPU that `search.index.index_entry` adds to a reply on a 50-person group
thread. The corpus is written by bulk SQL, not through the actions (1,000,000
sends through the actions take hours); the timed reply goes through
`messaging.actions.reply` as the API's does.

Prints a JSON object; writes nothing in the repository but `var/bench/`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RARE, COMMON = "zeppelin", "session"
VOCABULARY = 5000
BATCH = 5000


def _database(db: str) -> str:
    if db == "sqlite":
        path = ROOT / "var" / "bench" / "search.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in path.parent.glob("search.sqlite3*"):
            stale.unlink()
        return f"sqlite:///{path}"
    import psycopg

    url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS huddle_search_bench")
        admin.execute("CREATE DATABASE huddle_search_bench")
    return url.rsplit("/", 1)[0] + "/huddle_search_bench"


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddle.settings")
    os.environ["RATE_LIMIT_MESSAGES_PER_MINUTE"] = "0"
    os.environ["RATE_LIMIT_THREADS_PER_MINUTE"] = "0"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _body(rng: random.Random, n: int, rare: set[int]) -> str:
    words = [f"w{rng.randrange(VOCABULARY)}" for _ in range(18)]
    if rng.random() < 0.1:
        words[rng.randrange(len(words))] = COMMON
    if n in rare:
        words[rng.randrange(len(words))] = RARE
    return " ".join(words) + "."


def build(messages: int, say: Any) -> dict[str, Any]:
    """The corpus, by bulk SQL into the same tables the actions write."""
    from django.db import connection, transaction
    from django.utils import timezone

    from huddle.accounts.actions import create_staff
    from huddle.administration.actions import create_practice, update_messaging_settings
    from huddle.core import sql

    _, admin = create_practice(
        name="Search Bench",
        admin_name="Admin",
        admin_email="admin@search.bench.example",
        admin_password="bench-password-2026",  # noqa: S106 - a throwaway database
    )
    update_messaging_settings(
        actor=admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
    searcher = create_staff(
        actor=admin, name="Searcher", email="searcher@search.bench.example", roles=["biller"]
    )
    other = create_staff(
        actor=admin, name="Other", email="other@search.bench.example", roles=["biller"]
    )
    threads = max(10, messages // 10)
    rng = random.Random(12)  # noqa: S311 - a reproducible corpus, not a secret
    now = timezone.now()
    at = sql.db_time(now)
    rare = set(rng.sample(range(messages), 10))  # 10 messages anywhere in the practice
    n = 0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for first in range(0, threads, BATCH):
            with transaction.atomic():
                count = min(BATCH, threads - first)
                ids = []
                for i in range(first, first + count):
                    cursor.execute(
                        "INSERT INTO messaging_thread (practice_id, view, client_id, audience,"
                        " subject, group_names, created_by_id, created_at, last_message_id,"
                        " last_message_at) VALUES (%s, 'practice', NULL, '', %s, '[]', %s, %s,"
                        " NULL, %s) RETURNING id",
                        (admin.practice_id, f"Thread {i} w{i % VOCABULARY}", other.pk, at, at),
                    )
                    ids.append(cursor.fetchone()[0])
                people = []
                for i, thread_id in zip(range(first, first + count), ids, strict=True):
                    people.append((thread_id, other.pk))
                    if i % 10 == 0:
                        people.append((thread_id, searcher.pk))
                cursor.executemany(
                    "INSERT INTO messaging_participant (thread_id, user_id, view, unread_count,"
                    " archived, deleted, activity_at) VALUES (%s, %s, 'practice', 0, %s, %s, %s)",
                    [(t, u, False, False, at) for t, u in people],
                )
                rows = []
                for thread_id in ids:
                    for _ in range(messages // threads):
                        rows.append((thread_id, other.pk, _body(rng, n, rare), at))
                        n += 1
                cursor.executemany(
                    "INSERT INTO messaging_entry (thread_id, kind, author_id, body, old_subject,"
                    " new_subject, created_at) VALUES (%s, 'message', %s, %s, '', '', %s)",
                    rows,
                )
                first_id = cursor.execute(
                    "SELECT MIN(id) FROM messaging_entry WHERE thread_id = %s", (ids[0],)
                ).fetchone()[0]
                cursor.execute(
                    "INSERT INTO search_document (thread_id, entry_id, kind, text, created_at)"
                    " SELECT thread_id, id, 'message', body, created_at FROM messaging_entry"
                    " WHERE id >= %s",
                    (first_id,),
                )
            say(f"built {n:,}/{messages:,} messages ({time.perf_counter() - started:.0f} s)")
        cursor.execute("ANALYZE")
    return {
        "messages": n,
        "threads": threads,
        "searcher_threads": (threads + 9) // 10,
        "build_seconds": round(time.perf_counter() - started, 1),
        "searcher": searcher.pk,
        "other": other.pk,
    }


def _times(call: Any, requests: int) -> dict[str, float]:
    call()  # warm
    took = []
    cpu = []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        took.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    took.sort()
    return {
        # This process's CPU: on SQLite all of a search's work; on PostgreSQL
        # without the server's, which the wall time holds.
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "p50_ms": round(statistics.median(took), 2),
        "p95_ms": round(took[int(len(took) * 0.95) - 1], 2),
        "max_ms": round(took[-1], 2),
    }


def time_searches(world: dict[str, Any], requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from huddle.accounts.models import User
    from huddle.search.queries import search

    user = User.objects.select_related("practice").get(pk=world["searcher"])
    found: dict[str, Any] = {}
    for name, q in [
        ("rare word", RARE),
        ("word in 10 % of messages", COMMON),
        ("prefix while typing", "zeppel"),
        ("rare and common", f"{RARE} {COMMON}"),
    ]:
        with CaptureQueriesContext(connection) as ctx:
            page = search(user, q, limit=20)
        found[name] = {
            "q": q,
            "results_on_page": len(page.items),
            "statements": len(ctx.captured_queries),
            **_times(lambda q=q: search(user, q, limit=20), requests),
        }
    return found


def time_indexing(world: dict[str, Any], replies: int) -> dict[str, Any]:
    """CPU per reply on a 50-person group thread, and the CPU of its indexing alone."""
    from django.db import transaction

    from huddle.accounts.actions import create_staff
    from huddle.accounts.models import User
    from huddle.messaging import actions
    from huddle.messaging.access import get_participation
    from huddle.search.index import index_entry

    author = User.objects.select_related("practice").get(pk=world["other"])
    members = [
        create_staff(
            actor=User.objects.get(email="admin@search.bench.example"),
            name=f"Member {i}",
            email=f"member{i}@search.bench.example",
            roles=["biller"],
        ).pk
        for i in range(49)
    ]
    thread = actions.start_thread(
        sender=author, user_ids=members, subject="Group", body="Group thread"
    )
    participation = get_participation(author, thread.pk)
    body = "The group session moves to Thursday; bring the zeppelin worksheet."
    started = time.process_time()
    entries = [
        actions.reply(author=author, participation=participation, body=body) for _ in range(replies)
    ]
    reply_cpu = (time.process_time() - started) / replies
    # Its indexing again, alone, inside one transaction as in the reply's (rolled
    # back): this process's CPU, and the wall time, which also holds the database
    # server's work (PostgreSQL's tsvector and GIN insert run in its own process).
    started, wall = time.process_time(), time.perf_counter()
    with transaction.atomic():
        for entry in entries:
            index_entry(entry)
        index_cpu = (time.process_time() - started) / replies
        index_wall = (time.perf_counter() - wall) / replies
        transaction.set_rollback(True)
    return {
        "replies": replies,
        "group_members": 50,
        "reply_cpu_ms": round(reply_cpu * 1000, 3),
        "index_cpu_ms": round(index_cpu * 1000, 3),
        "index_wall_ms": round(index_wall * 1000, 3),
        "index_share_of_reply_cpu": round(index_cpu / reply_cpu, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--replies", type=int, default=300)
    args = parser.parse_args()
    _setup(_database(args.db))

    def say(line: str) -> None:
        print(f"\r  {line:<72}", end="", file=sys.stderr, flush=True)

    world = build(args.messages, say)
    print(file=sys.stderr)
    from django.db import connection

    result = {
        "db": args.db,
        "db_version": str(getattr(connection, "pg_version", None) or sqlite3.sqlite_version),
        "corpus": {k: v for k, v in world.items() if k not in ("searcher", "other")},
        "search": time_searches(world, args.requests),
        "indexing": time_indexing(world, args.replies),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
