"""32 people send 100 messages each at the same time through the real server:
every 201 is stored once, in the order its sender got the answers, and the
server never fails (no 5xx, no dropped connection, no "database is locked")."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from huddle.messaging.actions import start_thread
from huddle.messaging.models import Entry, EntryKind
from tests.conftest import World
from tests.events.servers import Server, run_async
from tests.reliability.helpers import (
    add_staff,
    database,
    reliability_server,
    sign_in,
    thread_problems,
)

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS = 32
MESSAGES = 100
TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass
class Sender:
    index: int
    headers: dict[str, str]
    # Replies alternate between the thread everyone is on and the sender's own.
    threads: tuple[int, int]
    answered: list[tuple[int, str]] = field(default_factory=list)  # (id, body) in 201 order
    failures: list[str] = field(default_factory=list)  # 5xx and connection errors
    refusals: list[int] = field(default_factory=list)  # any other status


async def send_all(server: Server, senders: list[Sender]) -> None:
    limits = httpx.Limits(max_connections=SENDERS, max_keepalive_connections=SENDERS)
    async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=60) as client:

        async def run(sender: Sender) -> None:
            for n in range(MESSAGES):
                thread = sender.threads[n % 2]
                body = f"sender {sender.index} message {n}"
                try:
                    response = await client.post(
                        f"/api/v1/threads/{thread}/messages",
                        headers=sender.headers,
                        json={"body": body},
                    )
                except httpx.TransportError as error:
                    sender.failures.append(type(error).__name__)
                    continue
                if response.status_code == 201:
                    sender.answered.append((int(response.json()["id"]), body))
                elif response.status_code >= 500:
                    sender.failures.append(str(response.status_code))
                else:
                    sender.refusals.append(response.status_code)

        await asyncio.gather(*(run(s) for s in senders))


@pytest.fixture(scope="module")
def server(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = reliability_server(tmp_path_factory.mktemp("concurrent"), "concurrent")
    yield running
    running.stop()


def test_concurrent_senders_lose_nothing_duplicate_nothing_and_keep_their_order(
    server: Server, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    people = add_staff(world, SENDERS)
    shared = start_thread(
        sender=world.admin, user_ids=[p.pk for p in people], subject="Everyone", body="Start"
    )
    senders = [
        Sender(
            index=n,
            headers=sign_in(server, person),
            threads=(
                shared.pk,
                start_thread(
                    sender=world.admin, user_ids=[person.pk], subject="Yours", body="Start"
                ).pk,
            ),
        )
        for n, person in enumerate(people)
    ]

    started = time.monotonic()
    run_async(send_all(server, senders))
    seconds = time.monotonic() - started

    stored = list(
        Entry.objects.filter(kind=EntryKind.MESSAGE, author__in=people)
        .order_by("pk")
        .values_list("pk", "body")
    )
    bodies = Counter(body for _, body in stored)
    answered = {pair for s in senders for pair in s.answered}
    lost = len(answered - set(stored))
    duplicated = sum(count - 1 for count in bodies.values())
    out_of_order = 0
    for s in senders:
        mine = [pair for pair in stored if pair[1].startswith(f"sender {s.index} ")]
        out_of_order += sum(a != b for a, b in zip(mine, s.answered, strict=False))
    failures = [f for s in senders for f in s.failures]
    refusals = [r for s in senders for r in s.refusals]
    sent = SENDERS * MESSAGES
    with capsys.disabled():
        print(
            f"\nConcurrent send: {SENDERS} senders {TIMES} {MESSAGES} = {sent} sent, "
            f"{len(stored)} stored, {lost} lost, {duplicated} duplicated, "
            f"{out_of_order} out of order, {len(failures)} server errors "
            f"({database()}; {seconds:.1f} s, {sent / seconds:.0f} messages/s)"
        )

    assert failures == [], Counter(failures)
    assert refusals == [], Counter(refusals)
    assert len(answered) == sent
    assert (lost, duplicated, out_of_order) == (0, 0, 0)
    assert len(stored) == sent
    assert thread_problems() == []
