"""Access to client threads follows the practice's records at once (F10, F11):
care-team changes, role changes, deactivation and portal access."""

from __future__ import annotations

from typing import Any

from huddle.messaging.models import Participant
from tests.api.helpers import error_of
from tests.client_messaging.helpers import (
    Cast,
    client_threads,
    created,
    start_as_client,
    unread_of,
)
from tests.conftest import PASSWORD, Api


def assign(admin: Api, cast: Cast, *clinicians: Any) -> None:
    response = admin.patch(
        f"/clients/{cast.world.client.pk}", {"clinician_ids": [str(c.pk) for c in clinicians]}
    )
    assert response.status_code == 200, response.content


def sign_in(email: str) -> Any:
    return Api(None).post("/auth/token", {"email": email, "password": PASSWORD})


def test_an_unassigned_clinician_loses_the_clients_threads_at_once(cast: Cast, api_as: Any) -> None:
    world = cast.world
    admin, client, cleo = api_as(world.admin), api_as(world.client.user), api_as(world.clinician)
    thread = created(start_as_client(client, "clinical", subject="Sleep"))
    assert unread_of(cleo)["clients"] == 1
    assert thread in client_threads(cleo)

    assign(admin, cast)  # no clinicians any more

    error_of(cleo.get(f"/threads/{thread}"), 404, "not_found")
    error_of(cleo.post(f"/threads/{thread}/messages", {"body": "Still here?"}), 404)
    assert thread not in client_threads(cleo)
    assert thread not in client_threads(cleo, "archived")
    assert unread_of(cleo)["clients"] == 0
    # Nobody else lost anything: the client and the clinical admins keep it.
    assert thread in client_threads(client)
    assert thread in client_threads(api_as(cast.clinical_admin))


def test_a_reassigned_or_newly_assigned_clinician_sees_older_threads(
    cast: Cast, api_as: Any
) -> None:
    world = cast.world
    admin, client = api_as(world.admin), api_as(world.client.user)
    cleo, cody = api_as(world.clinician), api_as(world.co_clinician)
    first = created(start_as_client(client, "clinical", subject="First"))
    assign(admin, cast)
    while_away = created(start_as_client(client, "clinical", subject="While away"))
    billing = created(start_as_client(client, "billing", subject="Invoice"))
    assert client_threads(cleo) == {}

    assign(admin, cast, world.clinician, world.co_clinician)

    for api in (cleo, cody):
        listed = client_threads(api)
        assert set(listed) == {first, while_away}, "the clinical threads, older ones included"
        assert billing not in listed
        read = api.get(f"/threads/{first}")
        assert read.status_code == 200, read.content
        assert [e["body"] for e in read.json()["timeline"]] == ["Hello"]
        reply = api.post(f"/threads/{while_away}/messages", {"body": "I am on your team now."})
        assert reply.status_code == 201, reply.content
    assert client_threads(client)[while_away]["unread_count"] == 2


def test_losing_the_supervisor_role_loses_clinical_threads_of_unassigned_clients(
    cast: Cast, api_as: Any
) -> None:
    world = cast.world
    admin, client = api_as(world.admin), api_as(world.client.user)
    thread = created(start_as_client(client, "clinical"))
    sue, lena = api_as(cast.supervisor), api_as(cast.lead)
    assert thread in client_threads(sue) and thread in client_threads(lena)

    demoted = admin.patch(f"/staff/{cast.supervisor.pk}", {"roles": ["clinician"]})
    assert demoted.status_code == 200, demoted.content
    still_admin = admin.patch(f"/staff/{cast.lead.pk}", {"roles": ["clinical_admin"]})
    assert still_admin.status_code == 200, still_admin.content

    error_of(sue.get(f"/threads/{thread}"), 404, "not_found")
    assert client_threads(sue) == {}
    assert unread_of(sue)["clients"] == 0
    assert thread in client_threads(lena), "a clinical admin still sees every clinical thread"

    # Given the role back, the thread is there again.
    admin.patch(f"/staff/{cast.supervisor.pk}", {"roles": ["supervisor"]})
    assert sue.get(f"/threads/{thread}").status_code == 200


def test_a_role_given_later_or_a_new_colleague_sees_existing_threads(
    cast: Cast, api_as: Any
) -> None:
    world = cast.world
    admin, client = api_as(world.admin), api_as(world.client.user)
    billing = created(start_as_client(client, "billing", subject="Invoice"))
    clinical = created(start_as_client(client, "clinical", subject="Session"))

    promoted = admin.patch(f"/staff/{world.scheduler.pk}", {"roles": ["scheduler", "biller"]})
    assert promoted.status_code == 200, promoted.content
    assert billing in client_threads(api_as(world.scheduler))

    made = admin.post(
        "/staff",
        {"name": "Nina New", "email": "nina@maple.example", "roles": ["biller", "supervisor"]},
    )
    assert made.status_code == 201, made.content
    nina = api_as(type(world.admin).objects.get(pk=int(made.json()["id"])))
    assert set(client_threads(nina)) == {billing, clinical}
    assert nina.get(f"/threads/{billing}").status_code == 200


def test_a_deactivated_staff_member_is_signed_out_and_off_the_threads(
    cast: Cast, api_as: Any
) -> None:
    world = cast.world
    admin, client, bill = api_as(world.admin), api_as(world.client.user), api_as(world.biller)
    thread = created(start_as_client(client, "billing"))
    assert thread in client_threads(bill)

    off = admin.patch(f"/staff/{world.biller.pk}", {"is_active": False})
    assert off.status_code == 200, off.content

    error_of(bill.get(f"/threads/{thread}"), 401)
    error_of(bill.get("/threads?view=clients"), 401)
    error_of(sign_in(world.biller.email), 401)
    assert not Participant.objects.filter(user=world.biller, thread_id=int(thread)).exists()
    # The client's thread is still there, for the client.
    assert client.get(f"/threads/{thread}").status_code == 200

    on = admin.patch(f"/staff/{world.biller.pk}", {"is_active": True})
    assert on.status_code == 200, on.content
    assert thread in client_threads(api_as(world.biller))


def test_portal_access_off_signs_the_client_out_and_on_brings_everything_back(
    cast: Cast, api_as: Any
) -> None:
    world = cast.world
    admin, client, cleo = api_as(world.admin), api_as(world.client.user), api_as(world.clinician)
    mine = created(start_as_client(client, "clinical", subject="Mine"))
    other = created(start_as_client(client, "billing", subject="Other"))
    assert client.post(f"/threads/{other}/archive").status_code == 200
    cleo.post(f"/threads/{mine}/messages", {"body": "See you Tuesday."})
    before = (client_threads(client), client_threads(client, "archived"), unread_of(client))

    off = admin.patch(f"/clients/{world.client.pk}", {"portal_enabled": False})
    assert off.status_code == 200, off.content

    error_of(client.get("/threads?view=clients"), 401)
    error_of(client.get(f"/threads/{mine}"), 401)
    error_of(client.post(f"/threads/{mine}/messages", {"body": "Hello?"}), 401)
    error_of(sign_in(world.client.user.email), 401)
    # Staff keep the thread and may still answer it.
    assert cleo.post(f"/threads/{mine}/messages", {"body": "When you are back."}).status_code == 201

    on = admin.patch(f"/clients/{world.client.pk}", {"portal_enabled": True})
    assert on.status_code == 200, on.content
    signed_in = sign_in(world.client.user.email)
    assert signed_in.status_code == 201, signed_in.content
    again = Api(None)
    again.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
    inbox, archived, unread = (
        client_threads(again),
        client_threads(again, "archived"),
        unread_of(again),
    )
    assert set(inbox) == set(before[0]) and set(archived) == set(before[1])
    assert unread["clients"] == before[2]["clients"] + 1
    timeline = again.get(f"/threads/{mine}").json()["timeline"]
    assert [e["body"] for e in timeline] == ["Hello", "See you Tuesday.", "When you are back."]
