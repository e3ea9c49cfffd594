"""CPU per request, in-process: the WSGI application called in a loop, no server,
no network, production settings (docs/PERFORMANCE.md, "Profiling").

    python -m bench.profile [--db URL] [--n 300] [--profile cprofile|pyinstrument] [NAME ...]

NAME is one of the requests below (all by default). It builds a small world with
the app's own actions in a throwaway SQLite file (or `--db`, which it migrates),
then prints the CPU milliseconds per request (`time.process_time`, the best of 5
rounds, so a busy machine counts less) and the SQL statements of one request.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from bench.cpu import process_seconds

Call = Callable[[], tuple[str, bytes]]


def _setup(db_url: str | None) -> None:
    tmp = tempfile.mkdtemp(prefix="huddle-profile-")
    os.environ.update(
        HUDDLE_ENV="production",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=db_url or f"sqlite:///{tmp}/huddle.sqlite3",
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        EVENTS_CHANNEL_PREFIX=f"profile-{secrets.token_hex(4)}",
        LOG_LEVEL="WARNING",
        RATE_LIMIT_MESSAGES_PER_MINUTE="1000000000",
        RATE_LIMIT_THREADS_PER_MINUTE="1000000000",
        DJANGO_SETTINGS_MODULE="huddle.settings",
        HUDDLE_SERVER="wsgi",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _world() -> dict[str, Any]:
    from bench.build import _practice, _staff
    from huddle.accounts.actions import issue_token
    from huddle.messaging import actions
    from huddle.notifications.actions import set_preferences

    domain = f"{secrets.token_hex(3)}.profile.example"
    admin = _practice("Profile Staff", domain)
    staff = [admin, *_staff(admin, 59, domain, lambda _: None)]
    for person in staff:
        set_preferences(user=person, internal_messages=True)
    members = staff[1:51]
    thread = actions.start_thread(
        sender=members[0], user_ids=[m.pk for m in members[1:]], subject="Group", body="Hi."
    )
    for i in range(60):
        actions.start_thread(sender=members[1], user_ids=[members[2].pk], subject=f"T{i}", body="x")
    return {
        "thread": thread.pk,
        "sender": issue_token(user=members[1])[0],
        "fanout": issue_token(user=staff[-1])[0],
    }


def _caller(method: str, path: str, token: str, body: Any = None) -> Call:
    from huddle.wsgi import application

    raw = json.dumps(body).encode() if body is not None else b""

    def call() -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": path.partition("?")[2],
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_X_FORWARDED_PROTO": "https",
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(raw)),
            "wsgi.input": io.BytesIO(raw),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        environ["PATH_INFO"] = path.partition("?")[0]
        status: list[str] = []

        def start_response(line: str, headers: Any, *rest: Any) -> Callable[[bytes], object]:
            status.append(line)
            return lambda data: None

        chunks = application(environ, start_response)
        content = b"".join(chunks)
        getattr(chunks, "close", lambda: None)()
        return status[0], content

    return call


def _calls(world: dict[str, Any]) -> dict[str, Call]:
    thread = world["thread"]
    sender = world["sender"]
    return {
        "healthz": _caller("GET", "/healthz", sender),
        "me": _caller("GET", "/api/v1/me", sender),
        "inbox": _caller("GET", "/api/v1/threads?view=practice", sender),
        "reply": _caller(
            "POST", f"/api/v1/threads/{thread}/messages", sender, {"body": "A reply to all."}
        ),
        "fanout": _caller(
            "POST",
            "/api/v1/threads",
            world["fanout"],
            {"subject": "To all", "body": "Hello all.", "recipients": {"groups": ["all_staff"]}},
        ),
    }


def _counter(statements: list[str]) -> Callable[..., Any]:
    def count(execute: Any, sql: str, *rest: Any) -> Any:
        statements.append(sql)
        return execute(sql, *rest)

    return count


def _database_cpu(connection: Any) -> float:
    """CPU seconds PostgreSQL's backend of this connection has spent (0 on SQLite)."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return process_seconds(pid)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*")
    parser.add_argument("--db")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--profile", choices=["cprofile", "pyinstrument"])
    args = parser.parse_args(argv)
    _setup(args.db)
    from django.db import connection

    calls = _calls(_world())
    for name in args.names or list(calls):
        call = calls[name]
        n = max(1, args.n // 10) if name == "fanout" else args.n
        for _ in range(min(n, 20)):
            status, content = call()  # warm up
        if not status.startswith("2"):
            raise SystemExit(f"{name}: {status} {content[:300]!r}")
        statements: list[str] = []
        database: list[float] = []  # PostgreSQL CPU a call, by round (the default loop)
        with connection.execute_wrapper(_counter(statements)):
            call()
        start = time.process_time()
        if args.profile == "pyinstrument":
            from pyinstrument import Profiler

            with Profiler(interval=0.0002) as profiler:
                for _ in range(n):
                    call()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        elif args.profile == "cprofile":
            import cProfile
            import pstats

            with cProfile.Profile() as prof:
                for _ in range(n):
                    call()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(60)
        else:
            # The best of 5 rounds: other processes on the machine only ever add.
            rounds = []
            for _ in range(5):
                start, db_start = time.process_time(), _database_cpu(connection)
                for _ in range(max(1, n // 5)):
                    call()
                rounds.append((time.process_time() - start) / max(1, n // 5))
                database.append((_database_cpu(connection) - db_start) / max(1, n // 5))
            start, n = time.process_time() - min(rounds), 1
        cpu = (time.process_time() - start) / n * 1000
        db = ""
        if database and connection.vendor == "postgresql":
            db = f"  PostgreSQL {min(database) * 1000:5.2f} ms CPU"
        print(f"{name:8} {cpu:7.2f} ms CPU  {len(statements):3} statements{db}")
        if os.environ.get("PROFILE_SQL"):
            for sql in statements:
                print("   ", sql[:300])


if __name__ == "__main__":
    main(sys.argv[1:])
