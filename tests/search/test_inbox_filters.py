"""The inbox filters on GET /api/v1/threads and the inbox page: unread only,
urgent, a client, an audience, a participant; combined with AND, in the URL,
at a constant statement count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huddle.messaging import actions
from huddle.messaging.access import get_participation
from tests.conftest import World
from tests.search.helpers import make_corpus


def _ids(api: Any, query: str) -> set[int]:
    response = api.get(f"/threads?{query}")
    assert response.status_code == 200, response.content
    return {int(i["id"]) for i in response.json()["items"]}


def test_unread_only_lists_the_threads_with_something_new(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    other = actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Other", body="Hello"
    )
    biller = api_as(world.biller)
    assert _ids(biller, "view=practice&unread=true") == {corpus.staff_thread.pk, other.pk}
    actions.mark_read(participation=get_participation(world.biller, other.pk))
    assert _ids(biller, "view=practice&unread=true") == {corpus.staff_thread.pk}
    assert _ids(biller, "view=practice&unread=false") == {corpus.staff_thread.pk, other.pk}


def test_client_audience_and_participant_combine(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    billing = actions.start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="billing",
        subject="Invoice",
        body="A question about my invoice.",
    )
    biller = api_as(world.biller)
    client = str(world.client.pk)
    assert _ids(biller, f"view=clients&client_id={client}") == {billing.pk}
    assert _ids(biller, f"view=clients&client_id={client}&audience=clinical") == set()
    cleo = api_as(world.clinician)
    assert _ids(cleo, f"view=clients&client_id={client}&audience=clinical") == {
        corpus.client_thread.pk
    }
    assert _ids(cleo, f"view=practice&participant_id={world.biller.pk}") == {corpus.staff_thread.pk}
    assert _ids(cleo, f"view=practice&participant_id={world.scheduler.pk}") == set()
    # Another practice's client matches nothing one may see.
    assert _ids(cleo, f"view=clients&client_id={world.outsider_client.pk}") == set()


def test_urgent_lists_the_threads_awaiting_ones_acknowledgement(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    assert _ids(api_as(world.biller), "view=practice&urgent=true") == set()
    sent = api_as(world.clinician).post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)]},
            "subject": "Client waiting",
            "body": "Your 2 pm client is here early",
            "urgent": True,
        },
    )
    assert sent.status_code == 201, sent.content
    urgent_id = int(sent.json()["id"])
    biller = api_as(world.biller)
    assert _ids(biller, "view=practice&urgent=true") == {urgent_id}
    assert _ids(biller, "view=practice&urgent=false") == {urgent_id, corpus.staff_thread.pk}
    # The sender awaits nobody's acknowledgement of their own message.
    assert _ids(api_as(world.clinician), "view=practice&urgent=true") == set()
    message_id = sent.json()["timeline"][0]["id"]
    assert biller.post(f"/messages/{message_id}/acknowledge").status_code == 200
    assert _ids(biller, "view=practice&urgent=true") == set()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("unread=maybe", "unread"),
        ("urgent=2", "urgent"),
        ("urgent=0", "urgent"),
        ("unread=", "unread"),
        ("unread=TRUE", "unread"),
        ("client_id=abc", "client_id"),
        ("client_id=99999999999999999999", "client_id"),
        ("audience=everyone", "audience"),
        ("participant_id=-3", "participant_id"),
    ],
)
def test_a_bad_filter_is_400_naming_it(world: World, api_as: Any, query: str, field: str) -> None:
    response = api_as(world.biller).get(f"/threads?view=practice&{query}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_a_client_filters_by_audience_but_not_by_staff(world: World, api_as: Any) -> None:
    corpus = make_corpus(world)
    casey = api_as(world.client.user)
    assert _ids(casey, "audience=clinical") == {corpus.client_thread.pk}
    assert _ids(casey, "audience=billing") == set()
    response = casey.get(f"/threads?participant_id={world.clinician.pk}")
    assert response.status_code == 400


def test_the_inbox_page_filters_and_keeps_them_in_its_links(world: World, page_as: Any) -> None:
    corpus = make_corpus(world)
    for i in range(3):
        actions.start_thread(
            sender=world.clinician, user_ids=[world.scheduler.pk], subject=f"Sched {i}", body="x"
        )
    page = page_as(world.clinician)
    html = page.get(f"/messages/?view=practice&participant_id={world.biller.pk}").content.decode()
    assert "Claim 2231" in html and "Sched 0" not in html
    assert f'<option value="{world.biller.pk}" selected>Bill Biller</option>' in html
    assert f"folder=archived&amp;participant_id={world.biller.pk}" in html
    html = page.get("/messages/?view=practice&unread=true").content.decode()
    assert "No threads match these filters." in html  # the sender has read them all
    html = page.get(f"/messages/?view=clients&client_id={world.client.pk}").content.decode()
    assert corpus.client_thread.subject in html
    assert f'<option value="{world.client.pk}" selected>Casey Client</option>' in html
    # A bad filter goes back to the plain folder, never a 500.
    response = page.get("/messages/?view=practice&unread=maybe")
    assert response.status_code == 302


def _count(page: Any, path: str) -> int:
    page.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert page.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_filtered_pages_cost_the_same_statements_as_data_grows(
    world: World, page_as: Any, api_as: Any
) -> None:
    make_corpus(world)
    page = page_as(world.clinician)
    biller = api_as(world.biller)
    paths = [
        f"/messages/?view=practice&unread=true&participant_id={world.biller.pk}",
        f"/messages/?view=clients&client_id={world.client.pk}&audience=clinical",
    ]

    def api_count() -> int:
        query = f"/threads?view=practice&unread=true&participant_id={world.clinician.pk}"
        biller.get(query)
        with CaptureQueriesContext(connection) as ctx:
            assert biller.get(query).status_code == 200
        return len(ctx.captured_queries)

    small = [_count(page, p) for p in paths] + [api_count()]
    for i in range(30):
        actions.start_thread(
            sender=world.clinician, user_ids=[world.biller.pk], subject=f"More {i}", body="y"
        )
        actions.start_client_thread(
            sender=world.client.user,
            client=world.client,
            audience="clinical",
            subject=f"Client {i}",
            body="z",
        )
    large = [_count(page, p) for p in paths] + [api_count()]
    assert small == large
