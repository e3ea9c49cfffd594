"""Each recorded action writes exactly one audit row naming who, what, which
object and from which address; a refused action writes none."""

from __future__ import annotations

from typing import Any

import pytest

from huddle.accounts.models import User
from huddle.audit.models import Action, AuditEvent, ObjectType
from huddle.messaging import actions
from huddle.messaging.access import get_participation
from huddle.messaging.models import Thread
from tests.audit.helpers import IP, api_from_ip, mark, page_from_ip, since
from tests.conftest import PASSWORD, World


def only(
    position: int,
    action: Action,
    actor: User | None,
    object_type: str = "",
    object_id: int | None = None,
) -> AuditEvent:
    rows = since(position)
    assert [r.action for r in rows] == [action], [r.action for r in rows]
    row = rows[0]
    assert row.actor_id == (actor.pk if actor else None)
    assert row.practice_id == (actor.practice_id if actor else None)
    assert (row.object_type, row.object_id) == (object_type, object_id)
    assert row.ip == IP
    return row


def a_thread(world: World) -> Thread:
    return actions.start_thread(
        sender=world.clinician, user_ids=[world.biller.pk], subject="Claim", body="Look"
    )


def test_opening_a_thread_page_records_one_view(world: World) -> None:
    thread = a_thread(world)
    http = page_from_ip(world.biller)
    position = mark()

    assert http.get(f"/messages/{thread.pk}").status_code == 200

    only(position, Action.THREAD_VIEWED, world.biller, "thread", thread.pk)


def test_getting_a_thread_from_the_api_records_one_view(world: World) -> None:
    thread = a_thread(world)
    api = api_from_ip(world.biller)
    position = mark()

    assert api.get(f"/threads/{thread.pk}").status_code == 200

    only(position, Action.THREAD_VIEWED, world.biller, "thread", thread.pk)


def test_a_client_opening_their_thread_on_the_portal_records_one_view(world: World) -> None:
    thread = actions.start_client_thread(
        sender=world.client.user, client=world.client, audience="clinical", subject="S", body="B"
    )
    http = page_from_ip(world.client.user)
    position = mark()

    assert http.get(f"/portal/{thread.pk}").status_code == 200

    only(position, Action.THREAD_VIEWED, world.client.user, "thread", thread.pk)


def test_a_thread_one_may_not_see_records_nothing(world: World) -> None:
    thread = a_thread(world)
    api = api_from_ip(world.scheduler)
    position = mark()

    assert api.get(f"/threads/{thread.pk}").status_code == 404

    assert since(position) == []


def test_a_new_thread_and_a_reply_record_one_sent_message_each(world: World) -> None:
    api = api_from_ip(world.clinician)
    position = mark()
    created = api.post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)], "groups": []},
            "subject": "S",
            "body": "B",
        },
    )
    assert created.status_code == 201
    thread_id = int(created.json()["id"])
    first = only(position, Action.MESSAGE_SENT, world.clinician, "thread", thread_id)
    assert first.detail == "new thread"

    biller = api_from_ip(world.biller)
    position = mark()
    replied = biller.post(f"/threads/{thread_id}/messages", {"body": "Ok"})
    assert replied.status_code == 201
    second = only(position, Action.MESSAGE_SENT, world.biller, "thread", thread_id)
    assert second.detail == "reply"


def test_a_client_message_records_the_client_as_sender(world: World) -> None:
    api = api_from_ip(world.client.user)
    position = mark()

    created = api.post("/threads", {"audience": "billing", "subject": "Bill", "body": "Hi"})

    assert created.status_code == 201
    only(position, Action.MESSAGE_SENT, world.client.user, "thread", int(created.json()["id"]))


def test_a_staff_message_to_a_client_is_recorded(world: World) -> None:
    api = api_from_ip(world.clinician)
    position = mark()

    created = api.post(
        "/threads", {"client_id": str(world.client.pk), "subject": "Hello", "body": "Hi"}
    )

    assert created.status_code == 201
    only(position, Action.MESSAGE_SENT, world.clinician, "thread", int(created.json()["id"]))


@pytest.mark.parametrize(
    ("method", "suffix", "body", "action"),
    [
        ("PATCH", "", {"subject": "New header"}, Action.HEADER_EDITED),
        ("POST", "/archive", None, Action.THREAD_ARCHIVED),
        ("DELETE", "", None, Action.THREAD_DELETED),
    ],
)
def test_thread_changes_are_recorded_once(
    world: World, method: str, suffix: str, body: Any, action: Action
) -> None:
    thread = a_thread(world)
    api = api_from_ip(world.biller)
    position = mark()

    response = api.call(method, f"/threads/{thread.pk}{suffix}", body)

    assert response.status_code in (200, 204), response.content
    only(position, action, world.biller, "thread", thread.pk)


def test_moving_an_archived_thread_back_is_recorded_once(world: World) -> None:
    thread = a_thread(world)
    actions.archive(participation=get_participation(world.biller, thread.pk))
    api = api_from_ip(world.biller)
    position = mark()

    assert api.post(f"/threads/{thread.pk}/unarchive").status_code == 200

    only(position, Action.THREAD_UNARCHIVED, world.biller, "thread", thread.pk)


def test_practice_settings_change_is_recorded_with_the_fields_named(world: World) -> None:
    api = api_from_ip(world.admin)
    position = mark()

    response = api.patch("/practice/settings", {"auto_archive_days": 60})

    assert response.status_code == 200
    row = only(position, Action.SETTINGS_CHANGED, world.admin, "practice", world.practice.pk)
    assert row.detail == "auto_archive_days"


def test_adding_and_editing_staff_is_recorded(world: World) -> None:
    api = api_from_ip(world.admin)
    position = mark()
    created = api.post(
        "/staff", {"name": "Nia New", "email": "nia@maple.example", "roles": ["biller"]}
    )
    assert created.status_code == 201
    staff_id = int(created.json()["id"])
    only(position, Action.STAFF_ADDED, world.admin, "user", staff_id)

    steps: list[tuple[dict[str, Any], Action, str]] = [
        ({"name": "Nia Renamed"}, Action.STAFF_EDITED, "name"),
        (
            {"roles": ["biller", "scheduler"]},
            Action.STAFF_ROLES_CHANGED,
            "roles; roles: biller -> biller,scheduler",  # before and after (security)
        ),
        ({"is_active": False}, Action.STAFF_DEACTIVATED, "is_active"),
        ({"is_active": True}, Action.STAFF_REACTIVATED, "is_active"),
    ]
    for body, action, detail in steps:
        position = mark()
        assert api.patch(f"/staff/{staff_id}", body).status_code == 200
        row = only(position, action, world.admin, "user", staff_id)
        assert row.detail == detail


def test_resending_the_same_roles_is_an_edit_not_a_role_change(world: World) -> None:
    api = api_from_ip(world.admin)
    position = mark()

    response = api.patch(f"/staff/{world.biller.pk}", {"roles": ["biller"]})

    assert response.status_code == 200
    only(position, Action.STAFF_EDITED, world.admin, "user", world.biller.pk)


def test_adding_and_editing_a_client_is_recorded(world: World) -> None:
    api = api_from_ip(world.admin)
    position = mark()
    created = api.post("/clients", {"name": "Nora New", "email": "nora@client.example"})
    assert created.status_code == 201
    client_id = int(created.json()["id"])
    only(position, Action.CLIENT_ADDED, world.admin, "client", client_id)

    position = mark()
    assert api.patch(f"/clients/{client_id}", {"name": "Nora Renamed"}).status_code == 200
    only(position, Action.CLIENT_EDITED, world.admin, "client", client_id)

    position = mark()
    body = {"clinician_ids": [str(world.clinician.pk)]}
    assert api.patch(f"/clients/{client_id}", body).status_code == 200
    row = only(position, Action.CLIENT_CLINICIANS_CHANGED, world.admin, "client", client_id)
    assert row.detail == "clinicians"


def test_adding_and_renaming_a_location_is_recorded(world: World) -> None:
    api = api_from_ip(world.admin)
    position = mark()
    created = api.post("/locations", {"name": "Northside"})
    assert created.status_code == 201
    location_id = int(created.json()["id"])
    only(position, Action.LOCATION_ADDED, world.admin, "location", location_id)

    position = mark()
    assert api.patch(f"/locations/{location_id}", {"name": "Uptown"}).status_code == 200
    only(position, Action.LOCATION_RENAMED, world.admin, "location", location_id)


def test_notification_preferences_change_is_recorded(world: World) -> None:
    api = api_from_ip(world.biller)
    position = mark()

    response = api.patch("/me/notifications", {"internal_messages": True})

    assert response.status_code == 200
    only(position, Action.NOTIFICATIONS_CHANGED, world.biller, "user", world.biller.pk)


def test_sign_in_and_sign_out_pages_are_recorded(world: World) -> None:
    http = page_from_ip(None)
    position = mark()
    response = http.post("/signin", {"email": "CLEO@maple.example", "password": PASSWORD})
    assert response.status_code == 302
    only(position, Action.SIGN_IN_SUCCEEDED, world.clinician)

    position = mark()
    assert http.post("/signout").status_code == 302
    only(position, Action.SIGNED_OUT, world.clinician)


def test_a_client_signing_in_to_the_portal_is_recorded(world: World) -> None:
    http = page_from_ip(None)
    position = mark()

    response = http.post("/portal/signin", {"email": world.client.user.email, "password": PASSWORD})

    assert response.status_code == 302
    only(position, Action.SIGN_IN_SUCCEEDED, world.client.user)


def test_a_wrong_password_names_the_account(world: World) -> None:
    position = mark()

    response = page_from_ip(None).post(
        "/signin", {"email": "cleo@maple.example", "password": "not the password"}
    )

    assert response.status_code == 400
    only(position, Action.SIGN_IN_FAILED, world.clinician)


def test_a_client_at_the_staff_sign_in_is_a_failure_of_that_account(world: World) -> None:
    position = mark()

    response = page_from_ip(None).post(
        "/signin", {"email": world.client.user.email, "password": PASSWORD}
    )

    assert response.status_code == 400
    only(position, Action.SIGN_IN_FAILED, world.client.user)


def test_an_unknown_email_names_nobody_and_no_practice(world: World) -> None:
    position = mark()

    response = page_from_ip(None).post(
        "/signin", {"email": "stranger@nowhere.example", "password": "whatever it is"}
    )

    assert response.status_code == 400
    only(position, Action.SIGN_IN_FAILED, None)


def test_api_tokens_issued_refused_and_revoked_are_recorded(world: World) -> None:
    anonymous = api_from_ip(None)
    position = mark()
    refused = anonymous.post("/auth/token", {"email": "cleo@maple.example", "password": "nope"})
    assert refused.status_code == 401
    only(position, Action.SIGN_IN_FAILED, world.clinician)

    position = mark()
    issued = anonymous.post("/auth/token", {"email": "cleo@maple.example", "password": PASSWORD})
    assert issued.status_code == 201
    token_id = since(position)[0].object_id
    assert token_id is not None
    only(position, Action.TOKEN_ISSUED, world.clinician, "token", token_id)

    position = mark()
    anonymous.headers["Authorization"] = f"Bearer {issued.json()['token']}"
    assert anonymous.delete("/auth/token").status_code == 204
    only(position, Action.TOKEN_REVOKED, world.clinician, "token", token_id)


def test_a_refused_change_records_nothing(world: World) -> None:
    admin = api_from_ip(world.admin)
    clinician = api_from_ip(world.clinician)
    position = mark()

    refused = admin.patch(f"/staff/{world.biller.pk}", {"password": "an admin's choice here"})
    assert refused.status_code == 400
    assert admin.patch("/practice/settings", {"auto_archive_days": 7}).status_code == 400
    assert clinician.post("/locations", {"name": "Nope"}).status_code == 403
    assert clinician.post("/threads/999999/messages", {"body": "x"}).status_code == 404

    assert since(position) == []


def test_an_operator_onboarding_a_practice_is_recorded_without_a_person(world: World) -> None:
    rows = AuditEvent.objects.filter(
        practice=world.practice, action=Action.STAFF_ADDED, object_id=world.admin.pk
    )
    assert [(r.actor_id, r.object_type, r.ip) for r in rows] == [(None, ObjectType.USER, None)]
