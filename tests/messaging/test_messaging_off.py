"""Practice Messaging off (F1): every messaging endpoint answers 403 with a clear
message, nothing stored is touched, and switching it back on brings every
thread, message and unread count back unchanged."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.messaging.models import Thread
from tests.api.helpers import error_of
from tests.conftest import Api, World
from tests.messaging.helpers import sent, stored

# (method, path, body); "{id}" is a thread the caller is on.
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/recipients", None),
    ("GET", "/recipients?q=bill", None),
    ("GET", "/threads", None),
    ("GET", "/threads?view=practice&folder=archived", None),
    (
        "POST",
        "/threads",
        {"recipients": {"users": [], "groups": ["all_staff"]}, "subject": "S", "body": "B"},
    ),
    ("GET", "/threads/{id}", None),
    ("PATCH", "/threads/{id}", {"subject": "Renamed"}),
    ("POST", "/threads/{id}/messages", {"body": "Hello"}),
    ("POST", "/threads/{id}/read", None),
    ("POST", "/threads/{id}/unread", None),
    ("POST", "/threads/{id}/archive", None),
    ("POST", "/threads/{id}/unarchive", None),
    ("DELETE", "/threads/{id}", None),
    ("POST", "/recipients", {"q": "bill"}),
]


def everyones_view(apis: list[Api]) -> list[Any]:
    """What each person's lists and badge show (none of these reads a thread)."""
    return [
        (
            api.get("/threads?folder=inbox").json(),
            api.get("/threads?folder=archived").json(),
            api.get("/me").json()["unread"],
        )
        for api in apis
    ]


def a_busy_practice(world: World, api_as: Any) -> tuple[str, list[Api]]:
    clinician, biller = api_as(world.clinician), api_as(world.biller)
    scheduler = api_as(world.scheduler)
    first = sent(clinician, users=[world.biller, world.scheduler], subject="First")
    assert biller.post(f"/threads/{first}/messages", {"body": "Reply"}).status_code == 201
    second = sent(biller, groups=["all_clinicians"], subject="Second")
    assert clinician.post(f"/threads/{second}/archive").status_code == 200
    assert scheduler.delete(f"/threads/{first}").status_code == 204
    assert clinician.patch(f"/threads/{second}", {"subject": "Second!"}).status_code == 200
    return first, [clinician, biller, scheduler, api_as(world.co_clinician)]


@pytest.mark.parametrize(
    ("switch_off", "switch_on", "named"),
    [
        (
            {"practice_messaging_enabled": False},
            {"practice_messaging_enabled": True},
            "Practice Messaging is turned off",
        ),
        (
            {"secure_messaging_enabled": False},
            {"secure_messaging_enabled": True, "practice_messaging_enabled": True},
            "Secure Messaging is turned off",
        ),
    ],
    ids=["practice-messaging-off", "secure-messaging-off"],
)
def test_every_messaging_endpoint_is_403_while_off_and_all_returns_after(
    world: World,
    api_as: Any,
    switch_off: dict[str, bool],
    switch_on: dict[str, bool],
    named: str,
) -> None:
    thread, apis = a_busy_practice(world, api_as)
    clinician = apis[0]
    admin = api_as(world.admin)
    before_views = everyones_view(apis)
    before = stored()

    off = admin.patch("/practice/settings", switch_off)
    assert off.status_code == 200, off.content
    assert off.json()["practice_messaging_enabled"] is False

    for method, path, body in ENDPOINTS:
        response = clinician.call(method, path.replace("{id}", thread), body)
        error = error_of(response, 403, "forbidden")
        assert named in error["message"], (method, path, error)
        assert "Settings > Secure Messaging" in error["message"]
    keyed = clinician.http.post(
        "/api/v1/threads",
        data=ENDPOINTS[4][2],
        content_type="application/json",
        headers={**clinician.headers, "Idempotency-Key": "while-off"},
    )
    error_of(keyed, 403, "forbidden")
    for api in apis:
        assert api.get("/me").json()["unread"]["practice"] == 0
    assert stored() == before

    on = admin.patch("/practice/settings", switch_on)
    assert on.status_code == 200, on.content
    assert on.json()["practice_messaging_enabled"] is True

    assert everyones_view(apis) == before_views
    assert stored() == before
    assert [e["body"] for e in clinician.get(f"/threads/{thread}").json()["timeline"]] == [
        "Can you look at this claim?",
        "Reply",
    ]


def test_practice_messaging_cannot_be_on_while_secure_messaging_is_off(
    world: World, api_as: Any
) -> None:
    admin = api_as(world.admin)
    assert admin.patch("/practice/settings", {"secure_messaging_enabled": False}).status_code == 200

    response = admin.patch("/practice/settings", {"practice_messaging_enabled": True})

    assert response.status_code == 400
    assert "practice_messaging_enabled" in response.json()["error"]["fields"]
    error_of(api_as(world.biller).get("/threads"), 403, "forbidden")


def test_a_new_practice_starts_with_messaging_off(world: World, api_as: Any) -> None:
    olga = api_as(world.outsider_clinician)

    for path in ("/threads", "/recipients"):
        error_of(olga.get(path), 403, "forbidden")
    refused = olga.post(
        "/threads",
        {"recipients": {"users": [str(world.outsider_admin.pk)]}, "subject": "S", "body": "B"},
    )
    error_of(refused, 403, "forbidden")
    assert not Thread.objects.exists()
