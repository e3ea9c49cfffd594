"""The clients view of the inbox answers in a fixed number of SQL statements,
whatever the number of client threads (STYLE.md 6)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from huddle.clients.actions import create_client
from huddle.messaging import actions
from huddle.messaging.models import Audience
from tests.client_messaging.helpers import Cast
from tests.conftest import Api


def statements(api: Api, path: str) -> int:
    """Statements of the second of two identical calls (the first warms up)."""
    assert api.get(path).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def add_threads(cast: Cast, n: int, first: int = 0) -> None:
    """`n` client threads, from several clients, to every audience, with replies."""
    world = cast.world
    audiences = list(Audience)
    for i in range(first, first + n):
        client = create_client(
            actor=world.admin,
            name=f"Client {i:03}",
            email=f"client{i}@client.example",
            clinician_ids=[world.clinician.pk, world.co_clinician.pk],
            portal_enabled=True,
        )
        thread = actions.start_client_thread(
            sender=client.user,
            client=client,
            audience=audiences[i % len(audiences)],
            subject=f"Question {i}",
            body=f"Body {i}",
        )
        if i % 2:
            staff = thread.participants.exclude(user=client.user).first()
            assert staff is not None
            actions.reply(author=staff.user, participation=staff, body="Answer")


def test_the_clients_inbox_costs_the_same_at_3_and_at_30_threads(cast: Cast, api_as: Any) -> None:
    # The practice admin is on every administrative thread; the lead on every
    # clinical one; the assigned clinicians share theirs with a co-clinician.
    people = [cast.world.admin, cast.lead, cast.world.clinician, cast.world.client.user]
    paths = ["/threads?view=clients", "/threads?view=clients&folder=archived", "/me"]
    add_threads(cast, 3)
    small = {(p.pk, path): statements(api_as(p), path) for p in people for path in paths}
    add_threads(cast, 27, first=3)
    large = {(p.pk, path): statements(api_as(p), path) for p in people for path in paths}
    assert large == small
    listed = api_as(cast.lead).get("/threads?view=clients&limit=200").json()["items"]
    assert len(listed) == 10, "the lead sees the 10 clinical threads of 30"
