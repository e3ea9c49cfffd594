"""Helpers for the reliability tests: staff to send with, sign-in over HTTP, and
the invariants the stored threads keep whatever happened to the server."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import httpx
from django.db import connection

from huddle.accounts.actions import create_staff
from huddle.accounts.models import User
from huddle.messaging.models import Entry, EntryKind, IdempotencyKey, Participant, Thread
from tests.conftest import PASSWORD, World, with_password
from tests.events.servers import Server, start_server

# These tests send far faster than a person does (100 messages a minute and more
# per user), so the per-user send rate limits (429) are turned off (0) in the
# servers' environment: what is tested here is storage, not the limits.
SERVER_ENV = {"RATE_LIMIT_MESSAGES_PER_MINUTE": "0", "RATE_LIMIT_THREADS_PER_MINUTE": "0"}

# Two server processes on the port, as in production (one per core). Each runs
# every request in a thread of its own, so even one process has several
# transactions open at once.
WORKERS = 2


def database() -> str:
    return "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"


def reliability_server(
    tmp: Path, name: str, *, workers: int = WORKERS, own_group: bool = False
) -> Server:
    return start_server(
        tmp,
        redis_prefix=None,
        name=name,
        workers=workers,
        extra_env=SERVER_ENV,
        own_group=own_group,
    )


def add_staff(world: World, count: int) -> list[User]:
    """`count` more clinicians of the world's practice, each with the test password."""
    return [
        with_password(
            create_staff(
                actor=world.admin,
                name=f"Sender {n:02}",
                email=f"sender{n:02}@maple.example",
                roles=["clinician"],
                invite=False,
            )
        )
        for n in range(count)
    ]


def sign_in(server: Server, user: User) -> dict[str, str]:
    """A bearer token from POST /api/v1/auth/token, as an API client gets one."""
    response = httpx.post(
        f"{server.url}/api/v1/auth/token",
        json={"email": user.email, "password": PASSWORD},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def thread_problems() -> list[str]:
    """What is wrong with the stored threads, as sentences (none when all is well).

    Every thread has its first message, by the person who started it; its
    `last_message` is its newest message; and, as long as nobody has read
    anything, each participant's unread count is the number of messages by
    others since their own last one (a reply sets its author's count to 0 and
    adds 1 for everyone else)."""
    problems: list[str] = []
    messages: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = Entry.objects.filter(kind=EntryKind.MESSAGE).order_by("pk")
    for pk, thread_id, author_id in rows.values_list("pk", "thread_id", "author_id"):
        messages[thread_id].append((pk, author_id))
    for thread in Thread.objects.order_by("pk"):
        entries = messages.get(thread.pk, [])
        if not entries:
            problems.append(f"thread {thread.pk} has no message")
            continue
        if entries[0][1] != thread.created_by_id:
            problems.append(f"thread {thread.pk} does not start with its sender's message")
        if thread.last_message_id != entries[-1][0]:
            problems.append(f"thread {thread.pk}'s last message is not its newest")
    for thread_id, user_id, unread in Participant.objects.values_list(
        "thread_id", "user_id", "unread_count"
    ):
        authors = [author for _, author in messages.get(thread_id, [])]
        since = authors[::-1].index(user_id) if user_id in authors else len(authors)
        if unread != since:
            problems.append(
                f"user {user_id} has {unread} unread on thread {thread_id}, not {since}"
            )
    if IdempotencyKey.objects.filter(status__isnull=True).exists():
        problems.append("an Idempotency-Key was claimed without its answer")
    return problems


def sqlite_integrity() -> str:
    """`PRAGMA integrity_check` and `foreign_key_check` of the test database."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        result = ", ".join(str(row[0]) for row in cursor.fetchall())
        cursor.execute("PRAGMA foreign_key_check")
        if cursor.fetchall():
            result += ", foreign keys broken"
    return result
