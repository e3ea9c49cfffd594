"""The SQL statements of a request do not grow with threads, messages or
recipients (STYLE.md 6). Each test measures a small and a large case."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from huddle.accounts.actions import create_staff
from huddle.accounts.models import User
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from huddle.messaging.queries import unread_counts
from tests.conftest import World


def count(call: Any) -> int:
    """Statements of the second of two identical calls (the first warms the
    session and marks the thread read)."""
    call()
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def add_staff(world: World, n: int, role: str = "biller", prefix: str = "extra") -> list[User]:
    return [
        create_staff(
            actor=world.admin,
            name=f"{prefix} {i:04}",
            email=f"{prefix}{i}@maple.example",
            roles=[role],
        )
        for i in range(n)
    ]


def send_many(world: World, n: int) -> None:
    for i in range(n):
        actions.start_thread(
            sender=world.clinician,
            user_ids=[world.biller.pk, world.scheduler.pk],
            subject=f"Thread {i}",
            body=f"Body {i}",
        )


def page(user: User) -> Client:
    http = Client()
    http.force_login(user)
    return http


def test_inbox_costs_the_same_at_5_and_at_60_threads(world: World, api_as: Any) -> None:
    biller = api_as(world.biller)
    browser = page(world.biller)
    send_many(world, 5)
    small_api = count(lambda: biller.get("/threads?view=practice&folder=inbox"))
    small_page = count(lambda: browser.get("/messages/"))
    send_many(world, 55)
    large_api = count(lambda: biller.get("/threads?view=practice&folder=inbox"))
    large_page = count(lambda: browser.get("/messages/"))
    assert small_api == large_api
    assert small_page == large_page
    assert large_api <= 8, f"the inbox API used {large_api} statements"


def test_thread_costs_the_same_with_3_and_with_40_messages_and_people(
    world: World, api_as: Any
) -> None:
    thread = actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="S", body="First"
    )
    clinician = api_as(world.clinician)
    browser = page(world.clinician)
    path = f"/threads/{thread.pk}"
    small_api = count(lambda: clinician.get(path))
    small_page = count(lambda: browser.get(f"/messages/{thread.pk}"))
    big = actions.start_thread(
        sender=world.clinician,
        user_ids=[u.pk for u in add_staff(world, 40)],
        subject="Big",
        body="First",
    )
    mine = get_participation(world.clinician, big.pk)
    for i in range(40):
        actions.reply(author=world.clinician, participation=mine, body=f"Reply {i}")
    large_api = count(lambda: clinician.get(f"/threads/{big.pk}"))
    large_page = count(lambda: browser.get(f"/messages/{big.pk}"))
    assert small_api == large_api
    assert small_page == large_page


def test_sending_to_a_200_member_group_costs_the_same_as_to_a_20_member_group(
    world: World, api_as: Any
) -> None:
    add_staff(world, 18, role="scheduler", prefix="sched")
    add_staff(world, 199, role="biller", prefix="bill")
    clinician = api_as(world.clinician)

    def send(group: str) -> None:
        response = clinician.post(
            "/threads",
            {"recipients": {"users": [], "groups": [group]}, "subject": "S", "body": "B"},
        )
        assert response.status_code == 201

    with CaptureQueriesContext(connection) as small_ctx:
        send("all_schedulers")
    with CaptureQueriesContext(connection) as large_ctx:
        send("all_billers")
    small, large = len(small_ctx.captured_queries), len(large_ctx.captured_queries)
    assert small == large
    assert User.objects.filter(participations__thread__subject="S").count() == 19 + 1 + 200 + 1


def test_the_badge_count_is_one_statement_however_many_threads(world: World) -> None:
    send_many(world, 30)
    world.biller.practice  # noqa: B018 - loaded with the user, as on a request
    assert count(lambda: unread_counts(world.biller)) == 1
    assert unread_counts(world.biller) == {"practice": 30, "clients": 0}
