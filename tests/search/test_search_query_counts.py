"""A search costs the same statements at 3 messages and at 60 (the query is one
statement whatever the corpus), through the API and the page."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from huddle.messaging import actions
from tests.conftest import World
from tests.search.helpers import make_corpus


def _add(world: World, n: int) -> None:
    for i in range(n):
        actions.start_thread(
            sender=world.clinician,
            user_ids=[world.biller.pk],
            subject=f"Rota {i}",
            body=f"The rota for week {i}.",
        )


def _statements(call: Any) -> int:
    call()
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_a_search_costs_the_same_as_the_corpus_grows(world: World, api_as: Any) -> None:
    make_corpus(world)
    biller = api_as(world.biller)
    page = Client()
    page.force_login(world.biller)

    def api_call() -> None:
        assert biller.post("/search", {"q": "rota"}).status_code == 200

    def page_call() -> None:
        assert page.post("/search", {"q": "rota"}).status_code == 200

    small = (_statements(api_call), _statements(page_call))
    _add(world, 60)
    large = (_statements(api_call), _statements(page_call))
    assert small == large
    assert large[0] <= 6
