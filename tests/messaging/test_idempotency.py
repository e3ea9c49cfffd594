"""Idempotency-Key on POST /threads and POST /threads/{id}/messages: a repeat
by the same user answers the first result and stores nothing new, also when the
repeats arrive at the same moment (PostgreSQL)."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
from django.db import connections

from huddle.messaging.models import Entry, IdempotencyKey, Participant, Thread
from tests.api.helpers import field_error
from tests.conftest import Api, World
from tests.messaging.helpers import sent, state_of


def post_keyed(api: Api, path: str, body: dict[str, Any], key: str) -> Any:
    return api.http.post(
        f"/api/v1{path}",
        data=body,
        content_type="application/json",
        headers={**api.headers, "Idempotency-Key": key},
    )


def new_thread(world: World) -> dict[str, Any]:
    recipients = {"users": [str(world.biller.pk)], "groups": []}
    return {"recipients": recipients, "subject": "Claim 2231", "body": "Please check."}


def test_a_repeated_new_thread_is_stored_once(world: World, api_as: Any) -> None:
    clinician = api_as(world.clinician)
    key = str(uuid.uuid4())

    responses = [post_keyed(clinician, "/threads", new_thread(world), key) for _ in range(3)]

    assert [r.status_code for r in responses] == [201, 201, 201]
    assert responses[1].json() == responses[0].json() == responses[2].json()
    assert Thread.objects.count() == 1
    assert Entry.objects.count() == 1
    assert Participant.objects.count() == 2
    assert responses[0].json()["id"] == str(Thread.objects.get().pk)
    assert IdempotencyKey.objects.filter(user=world.clinician).count() == 1
    assert api_as(world.biller).get("/me").json()["unread"]["practice"] == 1


def test_another_key_stores_another_thread(world: World, api_as: Any) -> None:
    clinician = api_as(world.clinician)

    first = post_keyed(clinician, "/threads", new_thread(world), "key-one")
    second = post_keyed(clinician, "/threads", new_thread(world), "key-two")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]
    assert Thread.objects.count() == 2


def test_the_same_key_from_another_user_is_theirs_alone(world: World, api_as: Any) -> None:
    key = str(uuid.uuid4())

    mine = post_keyed(api_as(world.clinician), "/threads", new_thread(world), key)
    recipients = {"users": [str(world.clinician.pk)], "groups": []}
    theirs = post_keyed(
        api_as(world.scheduler),
        "/threads",
        {"recipients": recipients, "subject": "Schedule", "body": "Free at 3?"},
        key,
    )

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert theirs.json()["subject"] == "Schedule"
    assert sorted(Thread.objects.values_list("created_by_id", flat=True)) == sorted(
        [world.clinician.pk, world.scheduler.pk]
    )


def test_a_repeated_reply_is_stored_once(world: World, api_as: Any) -> None:
    thread = sent(api_as(world.clinician), users=[world.biller])
    biller = api_as(world.biller)
    key = str(uuid.uuid4())

    responses = [
        post_keyed(biller, f"/threads/{thread}/messages", {"body": "On it"}, key) for _ in range(3)
    ]

    assert [r.status_code for r in responses] == [201, 201, 201]
    assert responses[0].json() == responses[1].json() == responses[2].json()
    assert Entry.objects.filter(thread_id=int(thread), body="On it").count() == 1
    assert state_of(world.clinician, thread).unread_count == 1
    other = post_keyed(biller, f"/threads/{thread}/messages", {"body": "On it"}, "another")
    assert other.status_code == 201
    assert Entry.objects.filter(thread_id=int(thread), body="On it").count() == 2
    assert state_of(world.clinician, thread).unread_count == 2


def test_a_refused_request_does_not_use_up_its_key(world: World, api_as: Any) -> None:
    clinician = api_as(world.clinician)
    bad = new_thread(world) | {"recipients": {"users": ["987654321"], "groups": []}}

    refused = post_keyed(clinician, "/threads", bad, "retry-me")
    field_error(refused, "recipients.users")
    assert not IdempotencyKey.objects.exists()

    fixed = post_keyed(clinician, "/threads", new_thread(world), "retry-me")
    assert fixed.status_code == 201, fixed.content
    assert Thread.objects.count() == 1


@pytest.mark.parametrize(("length", "status"), [(100, 201), (101, 400), (500, 400)])
def test_a_key_may_have_100_characters(world: World, api_as: Any, length: int, status: int) -> None:
    response = post_keyed(api_as(world.clinician), "/threads", new_thread(world), "k" * length)

    assert response.status_code == status, response.content
    if status == 400:
        field_error(response, "Idempotency-Key")
        assert not Thread.objects.exists()
        assert not IdempotencyKey.objects.exists()
    else:
        assert Thread.objects.count() == 1


@pytest.mark.parametrize("key", ["", "   ", "tab\there"])
def test_a_blank_or_unprintable_key_is_refused(world: World, api_as: Any, key: str) -> None:
    response = post_keyed(api_as(world.clinician), "/threads", new_thread(world), key)

    field_error(response, "Idempotency-Key")
    assert not Thread.objects.exists()


def at_once(calls: list[Any]) -> list[Any]:
    """Run `calls` in threads released together; each closes its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = calls[i]()
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_store_one_thread_and_one_reply(world: World, api_as: Any) -> None:
    # Each thread has its own client (and so its own database connection).
    clinicians = [api_as(world.clinician) for _ in range(3)]
    key = str(uuid.uuid4())

    created = at_once(
        [lambda api=api: post_keyed(api, "/threads", new_thread(world), key) for api in clinicians]
    )

    assert [r.status_code for r in created] == [201, 201, 201], [r.content for r in created]
    assert created[0].json() == created[1].json() == created[2].json()
    assert Thread.objects.count() == 1
    assert Participant.objects.count() == 2

    thread = created[0].json()["id"]
    billers = [api_as(world.biller) for _ in range(3)]
    replied = at_once(
        [
            lambda api=api: post_keyed(api, f"/threads/{thread}/messages", {"body": "Yes"}, key)
            for api in billers
        ]
    )

    assert [r.status_code for r in replied] == [201, 201, 201], [r.content for r in replied]
    assert replied[0].json() == replied[1].json() == replied[2].json()
    assert Entry.objects.filter(body="Yes").count() == 1
    assert state_of(world.clinician, thread).unread_count == 1


def test_a_repeat_after_losing_access_answers_404_not_the_stored_thread(
    world: World, api_as: Any
) -> None:
    clinician = api_as(world.clinician)
    key = str(uuid.uuid4())
    body = {"client_id": str(world.client.pk), "subject": "Plan", "body": "Hello"}
    first = post_keyed(clinician, "/threads", body, key)
    assert first.status_code == 201
    admin = api_as(world.admin)
    assert admin.patch(f"/clients/{world.client.pk}", {"clinician_ids": []}).status_code == 200
    again = post_keyed(clinician, "/threads", body, key)
    assert again.status_code == 404
    assert "Plan" not in again.content.decode()
    assert Thread.objects.count() == 1
