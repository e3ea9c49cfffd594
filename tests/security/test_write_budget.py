"""Issue 19, finding 6 (and 10's sign-ins): one per-user budget for every write
that tells others or writes an audit row — header edits, archive toggles,
deletions, administration — 429 with Retry-After past it, nothing stored; and
sign-ins per address, successful ones too."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client as HttpClient

from huddle.audit.models import Action, AuditEvent
from huddle.messaging.actions import start_thread
from huddle.messaging.models import Participant, Thread
from tests.conftest import PASSWORD, Api, World

BUDGET = 5


@pytest.fixture
def budget(settings: Any) -> Iterator[None]:
    settings.RATE_LIMIT_WRITES_PER_MINUTE = BUDGET
    settings.RATE_LIMIT_SIGN_INS_PER_MINUTE = BUDGET
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"write-budget-{uuid.uuid4()}",
        }
    }
    yield
    caches["default"].clear()


@pytest.fixture
def thread(world: World) -> Thread:
    return start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Start", body="Hello"
    )


def refused(response: Any) -> None:
    assert response.status_code == 429, response.content
    assert response.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_header_edits_share_one_budget(world: World, thread: Thread, budget: None) -> None:
    """Before: 80 header edits in a second, each telling everyone on the thread."""
    api = Api(world.clinician)
    for i in range(BUDGET):
        assert api.patch(f"/threads/{thread.pk}", {"subject": f"Subject {i}"}).status_code == 200

    refused(api.patch(f"/threads/{thread.pk}", {"subject": "One too many"}))
    thread.refresh_from_db()
    assert thread.subject == f"Subject {BUDGET - 1}"


def test_archive_toggles_are_counted_and_stop_writing_audit_rows(
    world: World, thread: Thread, budget: None
) -> None:
    """Before: 200 archive toggles wrote 200 audit rows."""
    api = Api(world.biller)
    toggles = [f"/threads/{thread.pk}/{w}" for w in ("archive", "unarchive") * 5]
    answers = [api.post(path).status_code for path in toggles[: BUDGET + 2]]

    assert answers[:BUDGET] == [200] * BUDGET
    refused(api.post(toggles[BUDGET]))
    rows = AuditEvent.objects.filter(
        actor=world.biller, action__in=[Action.THREAD_ARCHIVED, Action.THREAD_UNARCHIVED]
    )
    assert rows.count() == BUDGET
    participant = Participant.objects.get(thread=thread, user=world.biller)
    assert participant.archived is True  # the fifth (an archive) stands; nothing after


def test_the_budget_is_per_user_and_covers_administration(
    world: World, thread: Thread, budget: None
) -> None:
    clinician = Api(world.clinician)
    for i in range(BUDGET):
        clinician.patch(f"/threads/{thread.pk}", {"subject": f"S{i}"})
    assert Api(world.biller).post(f"/threads/{thread.pk}/archive").status_code == 200
    admin = Api(world.admin)
    for i in range(BUDGET):
        assert admin.patch(f"/staff/{world.biller.pk}", {"name": f"Bill {i}"}).status_code == 200
    refused(admin.patch(f"/staff/{world.biller.pk}", {"name": "Bill Again"}))
    refused(admin.post(f"/staff/{world.biller.pk}/sign-in-link"))


def test_successful_sign_ins_from_one_address_are_limited(world: World, budget: None) -> None:
    """Before: successful sign-ins and token issue had no limit."""
    body = {"email": world.clinician.email, "password": PASSWORD}
    for _ in range(BUDGET):
        assert Api(None).post("/auth/token", body).status_code == 201
    refused(Api(None).post("/auth/token", body))
    page = HttpClient().post("/signin", body)
    assert page.status_code == 429
    assert int(page["Retry-After"]) >= 1
