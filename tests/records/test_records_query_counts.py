"""The records pages and endpoints cost a fixed number of SQL statements, however
many exports, holds and emergency accesses there are (pinned)."""

from __future__ import annotations

from typing import Any

from huddle.records import emergency, exports, retention, worker
from tests.conftest import World
from tests.records.helpers import client_thread, second_admin

REASON = "A reason that is long enough"

# Pinned: a change that adds a statement per row fails here.
SETTINGS_PAGE = 14  # with the header (away, badge) of every staff page
EXPORT_LIST = 3
HOLD_LIST = 3
CLIENT_THREAD_PAGE = 17  # with the inbox list beside it, receipts, coverage


def _more(world: World, n: int) -> None:
    for _ in range(n):
        exports.request_export(user=world.admin, reason=REASON)
        worker.step()
        retention.place_hold(user=world.admin, scope="practice", reason=REASON)
        emergency.open_emergency_access(
            user=world.co_clinician, client_id=world.client.pk, reason=REASON
        )


def test_records_page_statements_do_not_grow(
    world: World, page_as: Any, django_assert_num_queries: Any
) -> None:
    http = page_as(world.admin)
    http.get("/settings/records")  # the session's first request does more
    _more(world, 1)
    with django_assert_num_queries(SETTINGS_PAGE):
        assert http.get("/settings/records").status_code == 200
    _more(world, 4)
    with django_assert_num_queries(SETTINGS_PAGE):
        assert http.get("/settings/records").status_code == 200


def test_records_api_statements_do_not_grow(
    world: World, api_as: Any, django_assert_num_queries: Any
) -> None:
    api = api_as(world.admin)
    api.get("/exports")
    for n in (1, 4):
        _more(world, n)
        with django_assert_num_queries(EXPORT_LIST):
            assert len(api.get("/exports").json()["items"]) >= n
        with django_assert_num_queries(HOLD_LIST):
            assert len(api.get("/legal-holds").json()["items"]) >= n


def test_thread_page_with_emergency_notices_does_not_grow(
    world: World, page_as: Any, django_assert_num_queries: Any
) -> None:
    thread = client_thread(world)
    second_admin(world)
    http = page_as(world.clinician)
    http.get(f"/messages/{thread.pk}")  # reads the thread: the first view marks it read
    for n in (1, 4):
        _more(world, n)
        with django_assert_num_queries(CLIENT_THREAD_PAGE):
            page = http.get(f"/messages/{thread.pk}")
        assert page.content.decode().count("opened this thread (emergency access)") >= n
