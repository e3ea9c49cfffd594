"""Secure Messaging off (F1, F10): every clients-view endpoint answers 403 with
a clear message, for clients and staff; nothing stored is lost; turned on
again, everything is as before."""

from __future__ import annotations

from typing import Any

from tests.api.helpers import error_of
from tests.client_messaging.helpers import (
    Cast,
    client_threads,
    created,
    start_as_client,
    start_with_client,
    unread_of,
)
from tests.conftest import Api
from tests.messaging.helpers import stored


def refused(api: Api, thread: str, *, staff: bool, client_id: str) -> list[Any]:
    """Every clients-view call, as `api`'s user, while the feature is off."""
    path = f"/threads/{thread}"
    start: dict[str, Any] = {"audience": "billing", "subject": "Hi", "body": "Hello"}
    if staff:
        start["client_id"] = client_id
    calls = [
        api.get("/threads?view=clients"),
        api.get("/threads?view=clients&folder=archived"),
        api.get(path),
        api.post(f"{path}/messages", {"body": "Anyone there?"}),
        api.patch(path, {"subject": "New header"}),
        api.post(f"{path}/read"),
        api.post(f"{path}/unread"),
        api.post(f"{path}/archive"),
        api.post(f"{path}/unarchive"),
        api.delete(path),
        api.post("/threads", start),
    ]
    if staff:
        calls.append(api.get("/recipients?view=clients"))
    else:
        calls.append(api.get("/threads"))  # a client's default view is theirs
    return calls


def test_secure_messaging_off_is_403_for_clients_and_staff_and_loses_nothing(
    cast: Cast, api_as: Any
) -> None:
    world = cast.world
    admin, client, cleo = api_as(world.admin), api_as(world.client.user), api_as(world.clinician)
    bill = api_as(world.biller)
    clinical = created(start_as_client(client, "clinical", subject="Sleep"))
    billing = created(start_with_client(bill, world.client, "billing", subject="Invoice"))
    office = created(start_with_client(admin, world.client, "administrative", subject="Hours"))
    cleo.post(f"/threads/{clinical}/messages", {"body": "Let us talk on Tuesday."})
    client.post(f"/threads/{billing}/archive")
    cleo.delete(f"/threads/{clinical}")
    people = {"client": client, "cleo": cleo, "bill": bill, "admin": admin}
    seen = {
        name: (client_threads(api), client_threads(api, "archived"), unread_of(api))
        for name, api in people.items()
    }
    before = stored()

    off = admin.patch("/practice/settings", {"secure_messaging_enabled": False})
    assert off.status_code == 200, off.content
    assert off.json()["practice_messaging_enabled"] is False

    # Each on a thread they are on (one they are not on stays 404, feature or not).
    for api, thread, staff in (
        (client, billing, False),
        (bill, billing, True),
        (admin, office, True),
    ):
        for response in refused(api, thread, staff=staff, client_id=str(world.client.pk)):
            error = error_of(response, 403, "forbidden")
            assert "Secure Messaging is turned off" in error["message"], error
    for response in refused(cleo, billing, staff=True, client_id=str(world.client.pk))[:2]:
        error_of(response, 403, "forbidden")
    for api in people.values():
        assert unread_of(api) == {"practice": 0, "clients": 0}
    assert stored() == before, "nothing stored changes, nothing is lost"

    on = admin.patch("/practice/settings", {"secure_messaging_enabled": True})
    assert on.status_code == 200, on.content
    again = {
        name: (client_threads(api), client_threads(api, "archived"), unread_of(api))
        for name, api in people.items()
    }
    assert again == seen
    assert stored() == before
    read = client.get(f"/threads/{clinical}")
    assert read.status_code == 200, read.content
    assert [e["body"] for e in read.json()["timeline"]] == ["Hello", "Let us talk on Tuesday."]
