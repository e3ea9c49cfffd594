"""Composing (F4) through POST /api/v1/threads: required fields, documented
lengths, who may be addressed, and what the sender and recipients then see."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.accounts.actions import create_staff
from huddle.accounts.models import Kind, Role, User, UserRole
from huddle.messaging.models import Entry, EntryKind, Participant, Thread
from tests.api.helpers import field_error
from tests.conftest import World
from tests.messaging.helpers import add_staff, listed, send, sent, stored, unread


def nothing_stored() -> bool:
    return not (Thread.objects.exists() or Entry.objects.exists() or Participant.objects.exists())


def many_billers(world: World, n: int) -> list[User]:
    """`n` active billers, inserted in bulk (create_staff one by one is slow at 1,000)."""
    users = User.objects.bulk_create(
        User(
            practice=world.practice,
            kind=Kind.STAFF,
            name=f"Biller {i:04}",
            email=f"biller{i}@maple.example",
            password="!",  # unusable
        )
        for i in range(n)
    )
    UserRole.objects.bulk_create(UserRole(user=u, role=Role.BILLER) for u in users)
    return users


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": "Hello"}, "subject"),
        ({"subject": "Hello"}, "body"),
        ({"subject": "   ", "body": "Hello"}, "subject"),
        ({"subject": "Hello", "body": " \n \n "}, "body"),
        ({"subject": 7, "body": "Hello"}, "subject"),
        ({"subject": "Hello", "body": None}, "body"),
    ],
)
def test_subject_and_body_are_required(
    world: World, api_as: Any, payload: dict[str, Any], field: str
) -> None:
    recipients = {"users": [str(world.biller.pk)], "groups": []}

    response = api_as(world.clinician).post("/threads", {"recipients": recipients, **payload})

    field_error(response, field)
    assert nothing_stored()


@pytest.mark.parametrize(("length", "status"), [(200, 201), (201, 400)])
def test_the_subject_may_have_200_characters(
    world: World, api_as: Any, length: int, status: int
) -> None:
    subject = "s" * length

    response = send(api_as(world.clinician), users=[world.biller], subject=subject)

    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["subject"] == subject
        assert Thread.objects.get().subject == subject
    else:
        field_error(response, "subject")
        assert nothing_stored()


@pytest.mark.parametrize(("length", "status"), [(10_000, 201), (10_001, 400)])
def test_the_body_may_have_10000_characters(
    world: World, api_as: Any, length: int, status: int
) -> None:
    body = "b" * length

    response = send(api_as(world.clinician), users=[world.biller], body=body)

    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["timeline"][0]["body"] == body
        assert Entry.objects.get().body == body
    else:
        field_error(response, "body")
        assert nothing_stored()


def test_1000_recipients_may_be_addressed_but_not_1001(world: World, api_as: Any) -> None:
    billers = many_billers(world, 1001)
    clinician = api_as(world.clinician)

    too_many = send(clinician, users=billers)
    field_error(too_many, "recipients")
    as_group = send(clinician, groups=["all_billers"])
    field_error(as_group, "recipients")
    assert nothing_stored()

    response = send(clinician, users=billers[:1000])
    assert response.status_code == 201, response.content
    assert Participant.objects.filter(thread_id=int(response.json()["id"])).count() == 1001


def test_sending_only_to_oneself_is_refused(world: World, api_as: Any) -> None:
    response = send(api_as(world.clinician), users=[world.clinician])

    field_error(response, "recipients")
    assert nothing_stored()


def test_no_recipients_at_all_is_refused(world: World, api_as: Any) -> None:
    response = send(api_as(world.clinician))

    field_error(response, "recipients")
    assert nothing_stored()


@pytest.mark.parametrize(
    "who", ["unknown", "outsider_clinician", "outsider_admin", "client", "not_an_id"]
)
def test_recipients_must_be_active_staff_of_the_practice(
    world: World, api_as: Any, who: str
) -> None:
    strangers: dict[str, str] = {
        "unknown": "987654321",
        "outsider_clinician": str(world.outsider_clinician.pk),
        "outsider_admin": str(world.outsider_admin.pk),
        "client": str(world.client.pk),
        "not_an_id": "bill",
    }
    recipients = {"users": [str(world.biller.pk), strangers[who]], "groups": []}

    response = api_as(world.clinician).post(
        "/threads", {"recipients": recipients, "subject": "S", "body": "B"}
    )

    field_error(response, "recipients.users")
    assert nothing_stored()


@pytest.mark.parametrize("key", ["nope", "all_billers", "clinicians_location_1", ""])
def test_unknown_groups_are_refused(world: World, api_as: Any, key: str) -> None:
    response = send(api_as(world.clinician), users=[world.biller], groups=[key])

    field_error(response, "recipients.groups")
    assert nothing_stored()


def test_another_practices_location_group_is_refused(world: World, api_as: Any) -> None:
    admin = api_as(world.outsider_admin)
    harbor = admin.post("/locations", {"name": "Harbor"}).json()["id"]

    response = send(api_as(world.clinician), groups=[f"clinicians_location_{harbor}"])

    field_error(response, "recipients.groups")
    assert nothing_stored()


def test_people_and_several_groups_are_merged_without_duplicates(world: World, api_as: Any) -> None:
    bea = add_staff(world, "Bea Biller", ["biller"])
    sam = add_staff(world, "Sam Scheduler", ["scheduler"])

    response = send(
        api_as(world.clinician),
        users=[world.biller, world.co_clinician, world.scheduler, world.biller],
        groups=["all_billers", "all_schedulers", "all_clinicians", "all_billers"],
    )

    assert response.status_code == 201, response.content
    thread = response.json()
    assert thread["groups"] == ["All Billers", "All Schedulers", "All Clinicians"]
    everyone = {world.clinician, world.co_clinician, world.biller, bea, world.scheduler, sam}
    assert sorted(p["id"] for p in thread["participants"]) == sorted(str(u.pk) for u in everyone)
    rows = Participant.objects.filter(thread_id=int(thread["id"]))
    assert sorted(rows.values_list("user_id", flat=True)) == sorted(u.pk for u in everyone)
    assert Thread.objects.get().group_names == ["All Billers", "All Schedulers", "All Clinicians"]


def test_the_sender_is_a_participant_and_sees_the_thread_read(world: World, api_as: Any) -> None:
    clinician = api_as(world.clinician)

    response = send(clinician, users=[world.biller], subject="  Claim   2231 ", body="Hi\nthere")

    assert response.status_code == 201, response.content
    thread = response.json()
    assert isinstance(thread["id"], str)
    assert thread["subject"] == "Claim 2231"
    assert thread["view"] == "practice"
    assert thread["unread_count"] == 0
    assert thread["archived"] is False
    assert [e["type"] for e in thread["timeline"]] == ["message"]
    first = thread["timeline"][0]
    assert first["author"] == {"id": str(world.clinician.pk), "name": "Cleo Clinician"}
    assert first["body"] == "Hi\nthere"
    assert thread["last_message"]["snippet"] == "Hi there"
    assert listed(clinician)[thread["id"]]["unread_count"] == 0
    assert unread(clinician) == 0
    entry = Entry.objects.get()
    assert (entry.kind, entry.author, entry.body) == (
        EntryKind.MESSAGE,
        world.clinician,
        "Hi\nthere",
    )
    mine = Participant.objects.get(user=world.clinician)
    assert (mine.unread_count, mine.archived, mine.deleted) == (0, False, False)


def test_the_answer_to_a_send_is_the_thread_as_it_is_then_read(world: World, api_as: Any) -> None:
    """The answer is built from what the send stored (see `api._started`): it says
    byte for byte what reading the thread says, names in the database's order."""
    for i, name in enumerate(["alice lower", "Bob Upper", "Émile Ünïcode", "bob lower"]):
        email = f"named{i}@maple.example"
        create_staff(actor=world.admin, name=name, email=email, roles=["biller"])
    clinician = api_as(world.clinician)

    response = send(clinician, users=[world.scheduler], groups=["all_billers"], body=" Hi " * 40)

    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    again = clinician.get(f"/threads/{response.json()['id']}")
    assert again.status_code == 200
    assert response.content == again.content
    assert len(response.json()["participants"]) == 1 + 1 + 5


def test_each_recipient_gets_one_unread_message(world: World, api_as: Any) -> None:
    clinician = api_as(world.clinician)
    biller, scheduler, admin = api_as(world.biller), api_as(world.scheduler), api_as(world.admin)

    first = sent(clinician, users=[world.biller, world.scheduler])

    for api in (biller, scheduler):
        assert listed(api)[first]["unread_count"] == 1
        assert api.get("/me").json()["unread"] == {"practice": 1, "clients": 0}
    assert unread(admin) == 0
    assert listed(admin) == {}
    rows = Participant.objects.filter(thread_id=int(first)).order_by("user_id")
    assert {r.user_id: r.unread_count for r in rows} == {
        world.clinician.pk: 0,
        world.biller.pk: 1,
        world.scheduler.pk: 1,
    }

    second = sent(clinician, users=[world.biller])
    assert unread(biller) == 2
    assert unread(scheduler) == 1
    assert list(listed(biller)) == [second, first]


def test_a_refused_send_stores_nothing(world: World, api_as: Any) -> None:
    before = stored()

    response = api_as(world.clinician).post(
        "/threads", {"recipients": {"users": [], "groups": []}, "subject": "S", "body": "B", "x": 1}
    )

    field_error(response, "x")
    assert stored() == before
