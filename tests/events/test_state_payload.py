"""The `thread_state` event is built without the API schema (it is built once per
participant after every message), so it must say exactly what the API says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from huddle.events.payloads import state_event
from huddle.messaging.actions import archive, start_thread
from huddle.messaging.models import Participant
from huddle.messaging.schemas import state_out
from tests.conftest import World


@pytest.mark.django_db
def test_thread_state_events_say_what_the_api_says(world: World) -> None:
    thread = start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claims", body="One"
    )
    archive(participation=Participant.objects.get(thread=thread, user=world.clinician))
    cutoff = timezone.now() - timedelta(days=30)
    rows = list(Participant.objects.filter(thread=thread))
    assert {r.archived for r in rows} == {True, False}
    for row in rows:
        assert state_event(row, cutoff) == state_out(row, cutoff).model_dump()
    assert state_event(rows[0], cutoff)["thread_id"] == str(thread.pk)
