"""Starting client threads (F10): clients by audience, staff to the clients they
may see; what a client may never name or list; cross-practice ids are 404."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.accounts.models import User
from huddle.clients.models import Client
from huddle.messaging.models import Participant, Thread
from tests.api.helpers import error_of, field_error
from tests.client_messaging.helpers import (
    AUDIENCES,
    Cast,
    client_threads,
    created,
    start_as_client,
    start_with_client,
)
from tests.messaging.helpers import sent, stored


@pytest.mark.parametrize("audience", AUDIENCES)
def test_a_client_starts_a_thread_to_an_audience(cast: Cast, api_as: Any, audience: str) -> None:
    world = cast.world
    team: dict[str, set[User]] = {
        "clinical": {world.clinician, cast.supervisor, cast.clinical_admin, cast.lead},
        "billing": {world.biller},
        "administrative": {world.scheduler, world.admin},
    }
    response = start_as_client(api_as(world.client.user), audience, subject="Hi", body="Hello")
    thread = created(response)
    body = response.json()
    assert (body["view"], body["audience"]) == ("clients", audience)
    assert [p["id"] for p in body["participants"]] == [str(world.client.pk)]
    assert body["client"] == {"id": str(world.client.pk), "name": world.client.user.name}
    on_it = {p.user for p in Participant.objects.filter(thread_id=int(thread))}
    assert on_it == team[audience] | {world.client.user}
    for staff in team[audience]:
        assert client_threads(api_as(staff))[thread]["unread_count"] == 1


@pytest.mark.parametrize("audience", [None, "", "Clinical", "internal", "practice", 3])
def test_a_wrong_or_missing_audience_is_400_naming_it(
    cast: Cast, api_as: Any, audience: Any
) -> None:
    before = stored()
    payload: dict[str, Any] = {"subject": "Hi", "body": "Hello"}
    if audience is not None:
        payload["audience"] = audience
    field_error(api_as(cast.world.client.user).post("/threads", payload), "audience")
    assert stored() == before


def test_a_client_may_not_name_recipients_or_a_client(cast: Cast, api_as: Any) -> None:
    world = cast.world
    client = api_as(world.client.user)
    before = stored()
    asks: list[dict[str, Any]] = [
        {"recipients": {"users": [str(world.clinician.pk)], "groups": []}},
        {"recipients": {"users": [], "groups": ["all_staff"]}, "audience": "clinical"},
        {"client_id": str(world.client.pk), "audience": "clinical"},
        {"client_id": str(cast.other_client.pk), "audience": "billing"},
        {"client_id": str(world.outsider_client.pk), "audience": "billing"},
    ]
    for ask in asks:
        error_of(client.post("/threads", {**ask, "subject": "Hi", "body": "Hello"}), 404)
    assert stored() == before


def test_a_client_lists_no_recipients_and_no_practice_view(cast: Cast, api_as: Any) -> None:
    client = api_as(cast.world.client.user)
    for path in ("/recipients", "/recipients?view=clients", "/recipients?q=a"):
        response = client.get(path)
        assert response.status_code in (403, 404), (path, response.status_code)
        error_of(response, response.status_code)
    error_of(client.get("/threads?view=practice"), 404, "not_found")
    error_of(client.get("/threads?view=practice&folder=archived"), 404, "not_found")


def test_a_client_token_gets_no_data_from_staff_only_endpoints(cast: Cast, api_as: Any) -> None:
    world = cast.world
    client = api_as(world.client.user)
    paths = [
        "/staff",
        f"/staff/{world.clinician.pk}",
        "/clients",
        f"/clients/{world.client.pk}",
        f"/clients/{cast.other_client.pk}",
        "/locations",
        "/practice/settings",
        "/audit",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (403, 404), (path, response.status_code)
        error_of(response, response.status_code)


def may_write(staff: User, client: Client, cast: Cast) -> list[str]:
    """The rules, from the records: the audiences through which `staff` sees `client`."""
    roles = staff.role_set()
    if client.practice_id != staff.practice_id:
        return []
    found = []
    if roles & {"clinical_admin", "supervisor"} or (
        "clinician" in roles and client.clinicians.filter(pk=staff.pk).exists()
    ):
        found.append("clinical")
    if "biller" in roles:
        found.append("billing")
    if roles & {"scheduler", "practice_admin"}:
        found.append("administrative")
    return found


def test_staff_list_exactly_the_clients_they_may_write_to(cast: Cast, api_as: Any) -> None:
    world = cast.world
    clients = [world.client, cast.other_client, world.outsider_client]
    staff = [
        world.admin,
        world.clinician,
        world.co_clinician,
        world.biller,
        world.scheduler,
        cast.supervisor,
        cast.clinical_admin,
        cast.lead,
    ]
    for person in staff:
        response = api_as(person).get("/recipients?view=clients")
        assert response.status_code == 200, response.content
        got = {i["id"]: (i["kind"], i["name"], i["audiences"]) for i in response.json()["items"]}
        want = {
            str(c.pk): ("client", c.user.name, may_write(person, c, cast))
            for c in clients
            if may_write(person, c, cast)
        }
        assert got == want, person.name
    found = api_as(world.admin).get("/recipients?view=clients&q=drew").json()["items"]
    assert [i["id"] for i in found] == [str(cast.other_client.pk)]


def test_staff_start_a_thread_with_a_client_they_may_see(cast: Cast, api_as: Any) -> None:
    world = cast.world
    response = start_with_client(api_as(world.clinician), world.client)  # audience defaults
    thread = created(response)
    assert response.json()["audience"] == "clinical"
    listed = client_threads(api_as(world.client.user))[thread]
    assert listed["unread_count"] == 1
    assert [p["id"] for p in listed["participants"]] == [str(world.client.pk)]
    billed = start_with_client(api_as(world.biller), cast.other_client, "billing")
    assert created(billed) in client_threads(api_as(cast.other_client.user))
    assert created(billed) not in client_threads(api_as(world.client.user))


def test_staff_may_not_start_with_a_client_or_audience_outside_their_access(
    cast: Cast, api_as: Any
) -> None:
    world = cast.world
    before = stored()
    error_of(start_with_client(api_as(world.co_clinician), world.client, "clinical"), 404)
    error_of(start_with_client(api_as(world.co_clinician), world.client), 404)
    field_error(start_with_client(api_as(world.biller), world.client, "clinical"), "audience")
    field_error(start_with_client(api_as(world.scheduler), world.client, "billing"), "audience")
    for staff in (world.admin, world.clinician, cast.lead):
        error_of(start_with_client(api_as(staff), world.outsider_client, "administrative"), 404)
        error_of(start_with_client(api_as(staff), world.outsider_client), 404)
    missing = {"client_id": "999999", "subject": "Hi", "body": "Hello"}
    error_of(api_as(world.admin).post("/threads", missing), 404)
    assert stored() == before


def test_threads_of_another_practice_or_client_are_404(cast: Cast, api_as: Any) -> None:
    world = cast.world
    theirs = created(start_as_client(api_as(world.outsider_client.user), "clinical"))
    others = created(start_as_client(api_as(cast.other_client.user), "administrative"))
    mine = created(start_as_client(api_as(world.client.user), "administrative"))
    internal = sent(api_as(world.admin), users=[world.clinician], subject="Internal")
    before = stored()
    client = api_as(world.client.user)
    for user in (world.admin, world.clinician, world.client.user, cast.lead):
        api = api_as(user)
        error_of(api.get(f"/threads/{theirs}"), 404, "not_found")
        error_of(api.post(f"/threads/{theirs}/messages", {"body": "x"}), 404)
        assert theirs not in client_threads(api)
    error_of(client.get(f"/threads/{others}"), 404, "not_found")
    error_of(client.patch(f"/threads/{others}", {"subject": "Mine now"}), 404)
    assert set(client_threads(client)) == {mine}
    error_of(client.get(f"/threads/{internal}"), 404, "not_found")
    error_of(client.post(f"/threads/{internal}/archive"), 404)
    outsider = api_as(world.outsider_admin)
    error_of(outsider.get(f"/threads/{mine}"), 404, "not_found")
    error_of(outsider.delete(f"/threads/{mine}"), 404)
    assert stored() == before
    assert Thread.objects.get(pk=int(others)).client_id == cast.other_client.pk
