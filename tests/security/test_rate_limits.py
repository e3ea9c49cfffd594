"""Sending is limited per user (huddle/core/ratelimit.py): past the limit the API
answers 429 with Retry-After and `rate_limited`, a page shows the form again
with 429, the error and the typed text; nothing is stored and nothing is lost."""

from __future__ import annotations

import html
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.cache import caches

from huddle.core import ratelimit
from huddle.core.errors import RateLimited
from huddle.messaging.actions import start_client_thread, start_thread
from huddle.messaging.models import Entry, Thread
from tests.conftest import World
from tests.events.conftest import bearer
from tests.events.servers import random_prefix, start_server

MESSAGES = 3
THREADS = 2
# A clock 20.5 s into a window: the window ends in 39.5 s, so Retry-After is 40.
START = 60 * 29_000_000 + 20.5
RETRY_AFTER = "40"


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """Limits on (3 messages, 2 new threads a minute), counted in a cache of this
    test's own, on a clock the test moves."""
    settings.RATE_LIMIT_MESSAGES_PER_MINUTE = MESSAGES
    settings.RATE_LIMIT_THREADS_PER_MINUTE = THREADS
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"ratelimit-test-{uuid.uuid4()}",
        }
    }
    fake = Clock(START)
    monkeypatch.setattr(ratelimit, "time", fake)
    yield fake
    caches["default"].clear()


def staff_thread(world: World) -> Thread:
    return start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claim", body="First"
    )


def client_thread(world: World) -> Thread:
    return start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="clinical",
        subject="Question",
        body="Hello",
    )


def assert_limited(response: Any) -> None:
    assert response.status_code == 429, response.content
    assert response["Retry-After"] == RETRY_AFTER
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert f"Wait {RETRY_AFTER} seconds" in error["message"]


# The API


def test_replies_past_the_limit_answer_429_and_store_nothing_until_the_minute_ends(
    world: World, api_as: Any, clock: Clock
) -> None:
    thread = staff_thread(world)
    biller = api_as(world.biller)
    path = f"/threads/{thread.pk}/messages"
    for n in range(MESSAGES):
        assert biller.post(path, {"body": f"Reply {n}"}).status_code == 201

    assert_limited(biller.post(path, {"body": "One too many"}))
    assert not Entry.objects.filter(body="One too many").exists()

    clock.now += 39.5  # the next minute
    assert biller.post(path, {"body": "One too many"}).status_code == 201
    assert Entry.objects.filter(thread=thread).count() == MESSAGES + 2


def test_new_threads_past_the_limit_answer_429(world: World, api_as: Any, clock: Clock) -> None:
    clinician = api_as(world.clinician)
    payload = {"recipients": {"users": [str(world.biller.pk)]}, "subject": "S", "body": "B"}
    for _ in range(THREADS):
        assert clinician.post("/threads", payload).status_code == 201

    assert_limited(clinician.post("/threads", payload))
    assert Thread.objects.count() == THREADS


def test_a_staff_thread_to_a_client_counts_as_a_new_thread(
    world: World, api_as: Any, clock: Clock
) -> None:
    clinician = api_as(world.clinician)
    payload = {"client_id": str(world.client.pk), "subject": "Session", "body": "Tuesday?"}
    for _ in range(THREADS):
        assert clinician.post("/threads", payload).status_code == 201

    assert_limited(clinician.post("/threads", payload))
    assert Thread.objects.count() == THREADS


def test_a_client_is_limited_on_the_api_too(world: World, api_as: Any, clock: Clock) -> None:
    client = api_as(world.client.user)
    payload = {"audience": "billing", "subject": "Invoice", "body": "A question"}
    for _ in range(THREADS):
        assert client.post("/threads", payload).status_code == 201
    assert_limited(client.post("/threads", payload))

    clock.now += 60  # the next minute: the same offset, so Retry-After is 40 again
    thread = client_thread(world)
    path = f"/threads/{thread.pk}/messages"
    for n in range(MESSAGES):
        assert client.post(path, {"body": f"More {n}"}).status_code == 201
    assert_limited(client.post(path, {"body": "Still more"}))


def test_the_limit_is_per_user(world: World, api_as: Any, clock: Clock) -> None:
    thread = staff_thread(world)
    path = f"/threads/{thread.pk}/messages"
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    for n in range(MESSAGES):
        assert biller.post(path, {"body": f"Reply {n}"}).status_code == 201
    assert biller.post(path, {"body": "Too many"}).status_code == 429

    assert clinician.post(path, {"body": "Mine still goes"}).status_code == 201


def test_a_refused_send_leaves_its_idempotency_key_free_for_the_retry(
    world: World, api_as: Any, clock: Clock
) -> None:
    thread = staff_thread(world)
    biller = api_as(world.biller)
    path = f"/threads/{thread.pk}/messages"
    for n in range(MESSAGES):
        assert biller.post(path, {"body": f"Reply {n}"}).status_code == 201
    biller.headers["Idempotency-Key"] = "retry-after-429"

    assert_limited(biller.post(path, {"body": "Keyed"}))
    clock.now += 40
    first = biller.post(path, {"body": "Keyed"})
    again = biller.post(path, {"body": "Keyed"})

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Entry.objects.filter(body="Keyed").count() == 1


def test_retry_after_counts_the_seconds_left_in_the_minute(
    world: World, clock: Clock, settings: Any
) -> None:
    settings.RATE_LIMIT_MESSAGES_PER_MINUTE = 1
    clock.now = 60 * 29_000_000 + 59.2
    ratelimit.check_message(world.biller)
    with pytest.raises(RateLimited) as refused:
        ratelimit.check_message(world.biller)
    assert refused.value.retry_after == 1
    assert refused.value.status == 429


def test_a_limit_of_0_is_off(world: World, api_as: Any, clock: Clock, settings: Any) -> None:
    settings.RATE_LIMIT_MESSAGES_PER_MINUTE = 0
    thread = staff_thread(world)
    biller = api_as(world.biller)
    statuses = {
        biller.post(f"/threads/{thread.pk}/messages", {"body": f"R{n}"}).status_code
        for n in range(10)
    }
    assert statuses == {201}


def test_the_openapi_document_declares_429_on_sending(db: None, api_as: Any) -> None:
    paths = api_as(None).get("/openapi.json").json()["paths"]
    assert "429" in paths["/api/v1/threads"]["post"]["responses"]
    assert "429" in paths["/api/v1/threads/{thread_id}/messages"]["post"]["responses"]
    assert "429" not in paths["/api/v1/threads"]["get"]["responses"]


# The pages


def assert_page_limited(response: Any, *typed: str) -> str:
    assert response.status_code == 429
    assert response["Retry-After"] == RETRY_AFTER
    page = html.unescape(response.content.decode())
    assert f"Wait {RETRY_AFTER} seconds, then send again." in page
    for text in typed:
        assert text in page, f"the typed {text!r} is lost"
    return page


def compose_form(world: World, subject: str, body: str) -> dict[str, Any]:
    return {
        "recipients": [f"user:{world.biller.pk}"],
        "subject": subject,
        "body": body,
        "form_token": str(uuid.uuid4()),
    }


def test_the_compose_page_answers_429_and_keeps_what_was_typed(
    world: World, page_as: Any, clock: Clock
) -> None:
    browser = page_as(world.clinician)
    for n in range(THREADS):
        form = compose_form(world, f"Subject {n}", "Body")
        assert browser.post("/messages/new", form).status_code == 302

    form = compose_form(world, "Friday rota", "Who covers the Friday afternoon?")
    response = browser.post("/messages/new", form)

    page = assert_page_limited(response, "Friday rota", "Who covers the Friday afternoon?")
    assert f'value="user:{world.biller.pk}" selected' in page  # the recipient too
    assert not Thread.objects.filter(subject="Friday rota").exists()
    clock.now += 40
    assert browser.post("/messages/new", form).status_code == 302  # the same form, later
    assert Thread.objects.filter(subject="Friday rota").count() == 1


def test_the_compose_to_client_page_answers_429(world: World, page_as: Any, clock: Clock) -> None:
    browser = page_as(world.clinician)

    def form(subject: str) -> dict[str, str]:
        return {
            "client": str(world.client.pk),
            "audience": "clinical",
            "subject": subject,
            "body": "See you Tuesday",
            "form_token": str(uuid.uuid4()),
        }

    for n in range(THREADS):
        assert browser.post("/messages/new?view=clients", form(f"S{n}")).status_code == 302
    response = browser.post("/messages/new?view=clients", form("Tuesday"))

    assert_page_limited(response, "Tuesday", "See you Tuesday")


def test_the_reply_form_answers_429_and_keeps_the_reply(
    world: World, page_as: Any, clock: Clock
) -> None:
    thread = staff_thread(world)
    browser = page_as(world.biller)
    path = f"/messages/{thread.pk}/reply"
    for n in range(MESSAGES):
        reply = {"body": f"Reply {n}", "form_token": str(uuid.uuid4())}
        assert browser.post(path, reply).status_code == 302

    reply = {"body": "The claim went through & is paid", "form_token": str(uuid.uuid4())}
    assert_page_limited(browser.post(path, reply), "The claim went through & is paid")
    assert Entry.objects.filter(thread=thread).count() == MESSAGES + 1


def test_the_portal_compose_and_reply_forms_answer_429(
    world: World, page_as: Any, clock: Clock
) -> None:
    browser = page_as(world.client.user)

    def form(subject: str) -> dict[str, str]:
        return {
            "audience": "administrative",
            "subject": subject,
            "body": "Can I move my appointment?",
            "form_token": str(uuid.uuid4()),
        }

    for n in range(THREADS):
        assert browser.post("/portal/new", form(f"S{n}")).status_code == 302
    response = browser.post("/portal/new", form("Appointment"))
    assert_page_limited(response, "Appointment", "Can I move my appointment?")

    clock.now += 60
    thread = client_thread(world)
    path = f"/portal/{thread.pk}/reply"
    for n in range(MESSAGES):
        reply = {"body": f"More {n}", "form_token": str(uuid.uuid4())}
        assert browser.post(path, reply).status_code == 302
    reply = {"body": "And one more thing", "form_token": str(uuid.uuid4())}
    assert_page_limited(browser.post(path, reply), "And one more thing")


# Several server processes


@pytest.mark.django_db(transaction=True)
def test_two_server_processes_count_one_limit_in_redis(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replies alternate between two granian processes sharing Redis: together
    they allow the limit, not twice it."""
    monkeypatch.setenv("RATE_LIMIT_MESSAGES_PER_MINUTE", str(MESSAGES))
    thread = staff_thread(world)
    headers = bearer(world.biller)
    prefix = random_prefix()
    first = start_server(tmp_path, redis_prefix=prefix, name="first")
    try:
        second = start_server(tmp_path, redis_prefix=prefix, name="second")
        try:
            # The sends must fall in one minute: start clear of its end.
            wait_for_window_start()
            answers = [
                httpx.post(
                    f"{server.url}/api/v1/threads/{thread.pk}/messages",
                    headers=headers,
                    json={"body": f"Reply {n}"},
                    timeout=10,
                )
                for n, server in enumerate([first, second] * MESSAGES)
            ]
        finally:
            second.stop()
    finally:
        first.stop()

    statuses = [a.status_code for a in answers]
    assert statuses == [201] * MESSAGES + [429] * MESSAGES, [a.text for a in answers]
    for refused in answers[MESSAGES:]:
        assert refused.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert Entry.objects.filter(thread=thread).count() == MESSAGES + 1


def wait_for_window_start() -> None:
    """Return once at least 10 s of the current minute are left (the six sends
    take well under one)."""
    while 60 - time.time() % 60 < 10:
        time.sleep(0.1)  # waiting for the clock itself, at most 10 s
