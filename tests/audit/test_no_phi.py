"""No audit row holds message text, subjects, names or a typed email."""

from __future__ import annotations

from huddle.audit.models import Action, AuditEvent
from tests.audit.helpers import all_column_text, api_from_ip, page_from_ip
from tests.conftest import World

SUBJECT = "Zorblax intake for Casey"
BODY = "Quixotic panic attacks since Tuesday"
HEADER = "Wumpus follow-up"
REPLY = "Flibbertigibbet reply text"


def test_no_column_of_any_row_holds_the_subject_body_or_names(world: World) -> None:
    clinician = api_from_ip(world.clinician)
    created = clinician.post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk)], "groups": []},
            "subject": SUBJECT,
            "body": BODY,
        },
    )
    assert created.status_code == 201
    thread_id = created.json()["id"]
    biller = api_from_ip(world.biller)
    assert biller.get(f"/threads/{thread_id}").status_code == 200
    assert biller.post(f"/threads/{thread_id}/messages", {"body": REPLY}).status_code == 201
    assert biller.patch(f"/threads/{thread_id}", {"subject": HEADER}).status_code == 200
    client = api_from_ip(world.client.user)
    assert (
        client.post(
            "/threads", {"audience": "clinical", "subject": SUBJECT, "body": BODY}
        ).status_code
        == 201
    )
    admin = api_from_ip(world.admin)
    assert admin.patch(f"/clients/{world.client.pk}", {"name": "Casey Renamed"}).status_code == 200
    assert AuditEvent.objects.filter(action=Action.MESSAGE_SENT).count() == 3

    text = " ".join(all_column_text()).lower()

    for secret in (
        SUBJECT,
        BODY,
        HEADER,
        REPLY,
        "Zorblax",
        "Quixotic",
        "Wumpus",
        "Flibbertigibbet",
    ):
        assert secret.lower() not in text
    for name in ("Casey", "Cleo", "Bill Biller", "Ada Admin"):
        assert name.lower() not in text


def test_a_failed_sign_in_stores_nothing_typed(world: World) -> None:
    typed_email = "typo-of-someone@nowhere.example"
    typed_password = "hunter2 hunter2 hunter2"
    page = page_from_ip(None)
    assert (
        page.post("/signin", {"email": typed_email, "password": typed_password}).status_code == 400
    )
    api = api_from_ip(None)
    body = {"email": "cleo@maple.example", "password": typed_password}
    assert api.post("/auth/token", body).status_code == 401

    text = " ".join(all_column_text()).lower()

    assert "nowhere.example" not in text
    assert "typo-of-someone" not in text
    assert "hunter2" not in text
    assert "@" not in text
