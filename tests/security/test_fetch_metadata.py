"""Issue 19, finding 7: a link or a request from another site never changes
state and never reaches the API with the browser's session (Sec-Fetch-Site)."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.audit.models import Action, AuditEvent
from huddle.messaging.actions import start_thread
from huddle.messaging.models import Participant
from tests.conftest import Api, World

CROSS = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


@pytest.fixture
def thread_id(world: World) -> int:
    thread = start_thread(
        sender=world.biller, user_ids=[world.clinician.pk], subject="Claim", body="Hello"
    )
    return int(thread.pk)


def unread_of(world: World, thread_id: int) -> int:
    return Participant.objects.get(thread_id=thread_id, user=world.clinician).unread_count


def viewed(thread_id: int) -> int:
    return AuditEvent.objects.filter(action=Action.THREAD_VIEWED, object_id=thread_id).count()


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_a_cross_site_api_read_with_the_session_is_refused_and_changes_nothing(
    world: World, page_as: Any, thread_id: int, site: str
) -> None:
    """Before: a link to GET /api/v1/threads/{id} marked it read and wrote "viewed"."""
    http = page_as(world.clinician)
    headers = {**CROSS, "Sec-Fetch-Site": site}

    response = http.get(f"/api/v1/threads/{thread_id}", headers=headers)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "cross_site"
    assert unread_of(world, thread_id) == 1
    assert viewed(thread_id) == 0


def test_a_cross_site_link_to_a_thread_page_asks_to_continue(
    world: World, page_as: Any, thread_id: int
) -> None:
    http = page_as(world.clinician)

    response = http.get(f"/messages/{thread_id}", headers=CROSS)

    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/messages/{thread_id}"' in body
    assert "Hello" not in body
    assert unread_of(world, thread_id) == 1
    assert viewed(thread_id) == 0
    # The click from there is same-origin: the thread opens and is read.
    opened = http.get(f"/messages/{thread_id}", headers={**CROSS, "Sec-Fetch-Site": "same-origin"})
    assert opened.status_code == 200
    assert unread_of(world, thread_id) == 0


def test_cross_site_posts_and_subresource_requests_are_refused(
    world: World, page_as: Any, thread_id: int
) -> None:
    http = page_as(world.clinician)
    archive = http.post(
        f"/messages/{thread_id}/archive", headers={**CROSS, "Sec-Fetch-Mode": "no-cors"}
    )
    image = http.get(f"/messages/{thread_id}", headers={**CROSS, "Sec-Fetch-Dest": "image"})
    assert archive.status_code == image.status_code == 403
    assert not Participant.objects.get(thread_id=thread_id, user=world.clinician).archived


def test_entry_pages_open_from_other_sites(db: None) -> None:
    from django.test import Client as HttpClient

    for path in ("/signin", "/portal/signin", "/signin/forgot"):
        assert HttpClient().get(path, headers=CROSS).status_code == 200


def test_a_bearer_token_and_same_origin_requests_go_through(
    world: World, page_as: Any, thread_id: int
) -> None:
    api = Api(world.clinician)
    api.headers.update(CROSS)
    assert api.get(f"/threads/{thread_id}").status_code == 200
    same = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"}
    assert page_as(world.biller).get("/api/v1/me", headers=same).status_code == 200
