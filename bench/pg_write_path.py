"""The PostgreSQL write path of a group message, isolated (issue #18, item 4;
docs/PERFORMANCE.md, "A PostgreSQL write path that scales").

Three designs of what a message to a 50-member thread writes, each in a scratch
table shaped as `messaging_participant` with its indexes, run for `--messages`
messages one transaction each, from one connection:

- `counted` (today): every recipient's row gets `unread_count + 1` and a new
  `activity_at`; both are indexed, so every update writes a new index entry in
  each index (not HOT).
- `counted_fillfactor`: the same with `fillfactor = 70`, which gives HOT room
  on the page but cannot make these updates HOT (indexed columns change).
- `counted_lean`: today's write without the index on `user_id` alone (the
  foreign key's), which the inbox index's leading column could serve: one index
  entry fewer per recipient.
- `derived`: the thread keeps a sequence number and the time of its last
  message; a participant keeps only its read position. Unread is derived
  (`thread.last_seq - participant.read_seq`), so a message updates one row.

It reports, per design: messages/s, PostgreSQL's time per message, the dead row
versions left and the share of HOT updates (pg_stat_user_tables).

    python -m bench.pg_write_path --dsn postgres://postgres@127.0.0.1:5432/test

`--minutes N --design counted` instead sends for N minutes with autovacuum running
as configured, and prints each minute's rate, PostgreSQL CPU per message, dead row
versions, autovacuum runs and the time to read the thread's 50 participants (what
the send's after-commit statement reads): whether the write declines in a long
burst (a vacuum cliff). `--vacuum-tuned` gives the table per-table autovacuum
settings (`VACUUM_TUNED`: vacuum after 5,000 dead versions, unthrottled).
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import psycopg

from bench.cpu import process_seconds

MEMBERS = 50

_SCHEMA = {
    "counted": """
        CREATE TABLE wp_participant (
            id bigserial PRIMARY KEY, thread_id bigint NOT NULL, user_id bigint NOT NULL,
            view varchar(10) NOT NULL, unread_count integer NOT NULL DEFAULT 0,
            archived boolean NOT NULL DEFAULT false, deleted boolean NOT NULL DEFAULT false,
            activity_at timestamptz NOT NULL, read_up_to bigint, read_at timestamptz,
            awaiting_ack integer NOT NULL DEFAULT 0) {with_};
        CREATE UNIQUE INDEX wp_unique ON wp_participant (thread_id, user_id);
        {user_index}
        CREATE INDEX wp_inbox ON wp_participant (user_id, view, activity_at DESC, id DESC)
            WHERE NOT deleted;
        CREATE INDEX wp_unread ON wp_participant (user_id, view, unread_count)
            WHERE unread_count > 0 AND NOT deleted;
        CREATE TABLE wp_thread (id bigint PRIMARY KEY, last_seq bigint NOT NULL DEFAULT 0,
            last_message_at timestamptz NOT NULL DEFAULT now());
    """,
    "derived": """
        CREATE TABLE wp_participant (
            id bigserial PRIMARY KEY, thread_id bigint NOT NULL, user_id bigint NOT NULL,
            view varchar(10) NOT NULL, read_seq bigint NOT NULL DEFAULT 0,
            archived boolean NOT NULL DEFAULT false, deleted boolean NOT NULL DEFAULT false,
            read_at timestamptz);
        CREATE UNIQUE INDEX wp_unique ON wp_participant (thread_id, user_id);
        CREATE INDEX wp_user ON wp_participant (user_id, view) WHERE NOT deleted;
        CREATE TABLE wp_thread (id bigint PRIMARY KEY, last_seq bigint NOT NULL DEFAULT 0,
            last_message_at timestamptz NOT NULL DEFAULT now()) WITH (fillfactor = 70);
    """,
}

# The inbox's first page for one recipient (51 rows, newest first).
_INBOX = {
    "counted": "SELECT id, thread_id FROM wp_participant WHERE user_id = 2 AND view = 'practice'"
    " AND NOT deleted ORDER BY activity_at DESC, id DESC LIMIT 51",
    "derived": "SELECT p.id, p.thread_id FROM wp_participant p JOIN wp_thread t"
    " ON t.id = p.thread_id WHERE p.user_id = 2 AND p.view = 'practice' AND NOT p.deleted"
    " ORDER BY t.last_message_at DESC, p.id DESC LIMIT 51",
}

_SEND = {
    "counted": [
        "UPDATE wp_thread SET last_seq = last_seq + 1, last_message_at = now() WHERE id = 1",
        "UPDATE wp_participant SET unread_count = CASE WHEN user_id = 1 THEN 0"
        " ELSE unread_count + 1 END, activity_at = now(), archived = false, deleted = false"
        " WHERE thread_id = 1",
    ],
    "derived": [
        "UPDATE wp_thread SET last_seq = last_seq + 1, last_message_at = now() WHERE id = 1",
        "UPDATE wp_participant SET read_seq = (SELECT last_seq FROM wp_thread WHERE id = 1)"
        " WHERE thread_id = 1 AND user_id = 1",
    ],
}


_DESIGNS = ("counted", "counted_lean", "counted_fillfactor", "derived")


def _one(cur: Any) -> tuple[Any, ...]:
    row = cur.fetchone()
    if row is None:
        raise RuntimeError("no row")
    return tuple(row)


def _stats(cur: Any) -> tuple[int, int, int]:
    cur.execute(
        "SELECT n_tup_upd, n_tup_hot_upd, n_dead_tup FROM pg_stat_user_tables"
        " WHERE relname = 'wp_participant'"
    )
    row = _one(cur)
    return int(row[0]), int(row[1]), int(row[2])


def _backend_cpu_ms(cur: Any) -> float:
    cur.execute("SELECT pg_backend_pid()")
    return process_seconds(int(_one(cur)[0])) * 1000


# Per-table autovacuum settings tried against the defaults (docs/PERFORMANCE.md):
# vacuum once 5,000 versions are dead, whatever the table's size, unthrottled.
VACUUM_TUNED = (
    "ALTER TABLE wp_participant SET (autovacuum_vacuum_scale_factor = 0,"
    " autovacuum_vacuum_threshold = 5000, autovacuum_vacuum_cost_delay = 0)"
)

# What the send's after-commit statement reads: the thread's people and their counts.
_THREAD_READ = "SELECT user_id, unread_count FROM wp_participant WHERE thread_id = 1"


def _build(cur: Any, design: str, threads: int, vacuum_tuned: bool = False) -> str:
    shape = "derived" if design == "derived" else "counted"
    with_ = "WITH (fillfactor = 70)" if design == "counted_fillfactor" else ""
    user_index = "CREATE INDEX wp_user ON wp_participant (user_id);"
    if design == "counted_lean":
        user_index = ""
    cur.execute("DROP TABLE IF EXISTS wp_participant, wp_thread")
    cur.execute(_SCHEMA[shape].format(with_=with_, user_index=user_index))
    if vacuum_tuned:
        cur.execute(VACUUM_TUNED)
    cols = "thread_id, user_id, view" + ("" if shape == "derived" else ", activity_at")
    extra = "" if shape == "derived" else ", now()"
    cur.execute(
        f"INSERT INTO wp_participant ({cols})"  # noqa: S608 - fixed text
        f" SELECT t, u, 'practice'{extra} FROM generate_series(1, {threads}) t,"
        f" generate_series(1, {MEMBERS}) u"
    )
    cur.execute(f"INSERT INTO wp_thread (id) SELECT generate_series(1, {threads})")
    cur.execute("VACUUM ANALYZE wp_participant")
    cur.execute("VACUUM ANALYZE wp_thread")
    cur.execute("SELECT pg_stat_reset()")
    return shape


def run(dsn: str, design: str, messages: int, threads: int) -> dict[str, Any]:
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        shape = _build(cur, design, threads)
        cpu0 = _backend_cpu_ms(cur)
        start = time.perf_counter()
        for n in range(messages):
            with conn.transaction():
                for statement in _SEND[shape]:
                    cur.execute(statement)
            if n and n % 1000 == 0:
                print(f"  {design}: {n} of {messages} messages", flush=True)
        elapsed = time.perf_counter() - start
        cpu = _backend_cpu_ms(cur) - cpu0
        cur.execute("SELECT pg_stat_force_next_flush()")  # this backend's counts, now
        cur.execute("SELECT 1")
        updated, hot, dead = _stats(cur)
        cur.execute("VACUUM ANALYZE wp_participant")
        cur.execute("VACUUM ANALYZE wp_thread")
        timings = []
        for _ in range(50):
            began = time.perf_counter()
            cur.execute(_INBOX[shape])
            cur.fetchall()
            timings.append((time.perf_counter() - began) * 1000)
        timings.sort()
        cur.execute("SELECT pg_total_relation_size('wp_participant')")
        size = int(_one(cur)[0])
        cur.execute("DROP TABLE wp_participant, wp_thread")
    return {
        "design": design,
        "messages": messages,
        "messages_per_s": round(messages / elapsed, 1),
        "postgres_cpu_ms_per_message": round(cpu / messages, 3),
        "rows_updated": updated,
        "hot_share": round(hot / updated, 3) if updated else None,
        "dead_versions": dead,
        "participant_table_mib": round(size / 2**20, 1),
        "threads_per_user": threads,
        "inbox_first_page_p50_ms": round(timings[len(timings) // 2], 2),
    }


def sustained(dsn: str, design: str, minutes: int, threads: int, tuned: bool) -> dict[str, Any]:
    """Send for `minutes`, one figure set per minute, autovacuum running."""
    per_minute = []
    with psycopg.connect(dsn, autocommit=True) as conn, conn.cursor() as cur:
        shape = _build(cur, design, threads, vacuum_tuned=tuned)
        with psycopg.connect(dsn, autocommit=True) as side, side.cursor() as stats:
            for minute in range(1, minutes + 1):
                cpu0, start, sent = _backend_cpu_ms(cur), time.perf_counter(), 0
                while time.perf_counter() - start < 60:
                    with conn.transaction():
                        for statement in _SEND[shape]:
                            cur.execute(statement)
                    sent += 1
                cpu = _backend_cpu_ms(cur) - cpu0
                began = time.perf_counter()
                cur.execute(_THREAD_READ)
                cur.fetchall()
                read_ms = (time.perf_counter() - began) * 1000
                cur.execute("SELECT pg_stat_force_next_flush()")
                stats.execute(
                    "SELECT n_dead_tup, autovacuum_count FROM pg_stat_user_tables"
                    " WHERE relname = 'wp_participant'"
                )
                dead, vacuums = _one(stats)
                row = {
                    "minute": minute,
                    "messages_per_s": round(sent / 60, 1),
                    "postgres_cpu_ms_per_message": round(cpu / sent, 3),
                    "dead_versions": int(dead),
                    "autovacuum_runs": int(vacuums),
                    "thread_read_ms": round(read_ms, 2),
                }
                per_minute.append(row)
                print(f"  {design}: {json.dumps(row)}", flush=True)
        cur.execute("DROP TABLE wp_participant, wp_thread")
    return {"design": design, "vacuum_tuned": tuned, "threads": threads, "minutes": per_minute}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--threads", type=int, default=10_000, help="threads, each of 50 people")
    parser.add_argument("--minutes", type=int, default=0, help="a sustained run of one design")
    parser.add_argument("--design", default="counted", choices=sorted(_DESIGNS))
    parser.add_argument("--vacuum-tuned", action="store_true")
    args = parser.parse_args()
    if args.minutes:
        result = sustained(args.dsn, args.design, args.minutes, args.threads, args.vacuum_tuned)
        print(json.dumps(result, indent=2))
        return
    results = [run(args.dsn, design, args.messages, args.threads) for design in _DESIGNS]
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
