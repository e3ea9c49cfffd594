"""The same Idempotency-Key sent three times through the real server, one after
the other and by three threads at once: one thread or reply is stored, and all
three answers are the same (API.md: "a repeat ... returns the first result")."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from huddle.messaging.actions import start_thread
from huddle.messaging.models import Entry, IdempotencyKey, Participant, Thread
from tests.conftest import World
from tests.events.servers import Server
from tests.reliability.helpers import reliability_server, sign_in, thread_problems

pytestmark = pytest.mark.django_db(transaction=True)

# At once, a round may still happen to run one request after the other; several
# rounds make the requests meet inside the server.
ROUNDS_AT_ONCE = 8


@pytest.fixture(scope="module")
def server(django_db_setup: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = reliability_server(tmp_path_factory.mktemp("idempotency"), "idempotency")
    yield running
    running.stop()


def post(server: Server, headers: dict[str, str], path: str, body: Any, key: str) -> Any:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        return client.post(f"/api/v1{path}", headers={**headers, "Idempotency-Key": key}, json=body)


def three_times(
    server: Server, headers: dict[str, str], path: str, body: Any, *, at_once: bool
) -> list[Any]:
    """The same request with one new key, three times: in a row, or from three
    threads released together (each its own connection)."""
    key = str(uuid.uuid4())
    if not at_once:
        return [post(server, headers, path, body, key) for _ in range(3)]
    barrier = threading.Barrier(3)

    def one(_: int) -> Any:
        barrier.wait(timeout=30)
        return post(server, headers, path, body, key)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return list(pool.map(one, range(3)))


def agree(responses: list[Any]) -> Any:
    """Asserts all three answered 201 with the same body; returns it."""
    assert [r.status_code for r in responses] == [201, 201, 201], [r.text for r in responses]
    first = responses[0].json()
    assert responses[1].json() == first == responses[2].json()
    return first


@pytest.mark.parametrize("at_once", [False, True], ids=["in_a_row", "at_once"])
def test_a_new_thread_sent_three_times_with_one_key_is_stored_once(
    server: Server, world: World, at_once: bool
) -> None:
    clinician = sign_in(server, world.clinician)
    rounds = ROUNDS_AT_ONCE if at_once else 1

    for n in range(rounds):
        body = {
            "recipients": {"users": [str(world.biller.pk)], "groups": []},
            "subject": f"Claim {n}",
            "body": f"Please check claim {n}.",
        }
        answer = agree(three_times(server, clinician, "/threads", body, at_once=at_once))

        thread = Thread.objects.get(subject=f"Claim {n}")
        assert answer["id"] == str(thread.pk)
        assert [e["id"] for e in answer["timeline"]] == [
            str(pk) for pk in Entry.objects.filter(thread=thread).values_list("pk", flat=True)
        ]
        assert Participant.objects.get(thread=thread, user=world.biller).unread_count == 1

    assert Thread.objects.count() == rounds
    assert Entry.objects.count() == rounds
    assert Participant.objects.count() == 2 * rounds
    assert IdempotencyKey.objects.filter(user=world.clinician).count() == rounds
    assert thread_problems() == []


@pytest.mark.parametrize("at_once", [False, True], ids=["in_a_row", "at_once"])
def test_a_reply_sent_three_times_with_one_key_is_stored_once(
    server: Server, world: World, at_once: bool
) -> None:
    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claim", body="Check?"
    )
    biller = sign_in(server, world.biller)
    rounds = ROUNDS_AT_ONCE if at_once else 1

    for n in range(rounds):
        body = {"body": f"Checked, part {n}"}
        path = f"/threads/{thread.pk}/messages"
        answer = agree(three_times(server, biller, path, body, at_once=at_once))

        stored = Entry.objects.get(body=f"Checked, part {n}")
        assert (answer["id"], answer["thread_id"]) == (str(stored.pk), str(thread.pk))
        clinician = Participant.objects.get(thread=thread, user=world.clinician)
        assert clinician.unread_count == n + 1

    assert Entry.objects.filter(thread=thread).count() == 1 + rounds
    assert IdempotencyKey.objects.filter(user=world.biller).count() == rounds
    assert thread_problems() == []
