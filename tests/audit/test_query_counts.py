"""The audit log costs the same at 20 and at 200 rows, and recording costs one
INSERT: a send or a viewed thread adds exactly one statement, never a SELECT."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from huddle.messaging import actions
from huddle.messaging.access import get_participation
from tests.audit.test_audit_api import many
from tests.conftest import World


def count(call: Any) -> int:
    call()  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert call().status_code == 200
    return len(ctx.captured_queries)


def audit_statements(ctx: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "audit_auditevent" in q["sql"]]


def test_the_page_and_the_api_cost_the_same_at_20_and_200_rows(
    world: World, page_as: Any, api_as: Any, capsys: Any
) -> None:
    thread = actions.start_thread(
        sender=world.clinician, user_ids=[world.admin.pk], subject="S", body="B"
    )
    page = page_as(world.admin)
    api = api_as(world.admin)
    many(world, 20, object_id=thread.pk)
    small_page = count(lambda: page.get("/settings/audit"))
    small_api = count(lambda: api.get("/audit?limit=200"))
    many(world, 180, object_id=thread.pk)
    large_page = count(lambda: page.get("/settings/audit"))
    large_api = count(lambda: api.get("/audit?limit=200"))

    with capsys.disabled():
        print(
            f"\naudit log statements at 20 / 200 rows: page {small_page} / {large_page}, "
            f"API {small_api} / {large_api}"
        )
    assert small_page == large_page
    assert small_api == large_api
    assert large_api <= 5, large_api


def test_a_reply_adds_exactly_one_insert_and_no_select(world: World, capsys: Any) -> None:
    thread = actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="S", body="B"
    )
    mine = get_participation(world.clinician, thread.pk)

    with CaptureQueriesContext(connection) as ctx:
        actions.reply(author=world.clinician, participation=mine, body="Again")

    statements = audit_statements(ctx)
    with capsys.disabled():
        print(f"\nreply: {len(ctx.captured_queries)} statements, {len(statements)} of them audit")
    assert len(statements) == 1
    assert statements[0].lstrip().upper().startswith("INSERT")


def test_a_new_thread_adds_exactly_one_insert_and_no_select(world: World) -> None:
    with CaptureQueriesContext(connection) as ctx:
        actions.start_thread(
            sender=world.clinician, user_ids=[world.biller.pk], subject="S", body="B"
        )

    statements = audit_statements(ctx)
    assert len(statements) == 1
    assert statements[0].lstrip().upper().startswith("INSERT")


def test_opening_a_thread_adds_one_insert_whatever_its_size(
    world: World, api_as: Any, capsys: Any
) -> None:
    thread = actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="S", body="B"
    )
    api = api_as(world.biller)
    api.get(f"/threads/{thread.pk}")

    with CaptureQueriesContext(connection) as ctx:
        assert api.get(f"/threads/{thread.pk}").status_code == 200

    statements = audit_statements(ctx)
    with capsys.disabled():
        print(f"\nGET thread: {len(ctx.captured_queries)} statements, {len(statements)} audit")
    assert len(statements) == 1
    assert statements[0].lstrip().upper().startswith("INSERT")
