"""A send's checks and its rate limit (a Redis round trip) come before its
transaction: on SQLite a transaction holds the one writer's lock from its first
moment, so a Redis call inside it would make every other sender wait for Redis."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from huddle.core import ratelimit
from huddle.messaging import actions
from huddle.messaging.models import Audience, Participant
from tests.conftest import World


@pytest.mark.django_db(transaction=True)  # no test transaction around the action
def test_new_threads_and_replies_count_their_rate_limit_outside_the_transaction(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, bool]] = []

    def watch(name: str) -> Any:
        real = getattr(ratelimit, name)

        def counted(user: Any) -> None:
            seen.append((name, connection.in_atomic_block))
            real(user)

        return counted

    for name in ("check_new_thread", "check_message"):
        monkeypatch.setattr(ratelimit, name, watch(name))
    actions.start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience=Audience.CLINICAL,
        subject="Question",
        body="Could we talk on Friday?",
    )
    thread = actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="One"
    )
    mine = Participant.objects.select_related("user").get(thread=thread, user=world.clinician)
    actions.reply(author=world.clinician, participation=mine, body="Two")
    assert seen == [
        ("check_new_thread", False),
        ("check_new_thread", False),
        ("check_message", False),
    ]
