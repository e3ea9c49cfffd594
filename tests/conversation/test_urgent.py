"""Urgent messages (F20): staff mark them, recipients acknowledge (once, audited),
the worker escalates once to the sender and the awaiting people's supervisors,
and the emails go out at once without health information."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from huddle.accounts.actions import create_staff
from huddle.audit.models import AuditEvent
from huddle.messaging import urgent, worker_steps
from huddle.messaging.models import Acknowledgement, Entry, Participant, Thread, UrgentAlert
from huddle.notifications.actions import set_preferences
from tests.api.helpers import error_of, field_error
from tests.conftest import World, with_password
from tests.conversation.helpers import message_of, open_outsider
from tests.notifications.smtp import Inbox


def urgent_thread(world: World, api_as: Any) -> tuple[str, str]:
    answer = api_as(world.clinician).post(
        "/threads",
        {
            "recipients": {"users": [str(world.biller.pk), str(world.scheduler.pk)]},
            "subject": "Client waiting",
            "body": "Your 2 pm client is here early",
            "urgent": True,
        },
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["timeline"][0]["urgent"] is True
    return body["id"], body["timeline"][0]["id"]


def test_recipients_acknowledge_and_the_sender_sees_who_has(world: World, api_as: Any) -> None:
    thread_id, message_id = urgent_thread(world, api_as)
    assert Participant.objects.get(user=world.biller, thread_id=thread_id).awaiting_ack == 1
    seen = message_of(api_as(world.clinician).get(f"/threads/{thread_id}").json(), message_id)
    assert seen["acknowledgements"] == []
    assert {p["id"] for p in seen["awaiting"]} == {str(world.biller.pk), str(world.scheduler.pk)}

    biller = api_as(world.biller)
    first = biller.post(f"/messages/{message_id}/acknowledge")
    assert first.status_code == 200, first.content
    assert [a["user"]["id"] for a in first.json()["acknowledgements"]] == [str(world.biller.pk)]
    # Idempotent: a repeat changes nothing and writes no second audit row.
    again = biller.post(f"/messages/{message_id}/acknowledge")
    assert again.status_code == 200
    assert Acknowledgement.objects.filter(entry_id=message_id).count() == 1
    assert AuditEvent.objects.filter(action="urgent_acknowledged").count() == 1
    assert Participant.objects.get(user=world.biller, thread_id=thread_id).awaiting_ack == 0

    seen = message_of(api_as(world.clinician).get(f"/threads/{thread_id}").json(), message_id)
    assert [a["user"]["id"] for a in seen["acknowledgements"]] == [str(world.biller.pk)]
    assert [p["id"] for p in seen["awaiting"]] == [str(world.scheduler.pk)]
    # The last acknowledgement ends the wait for escalation.
    api_as(world.scheduler).post(f"/messages/{message_id}/acknowledge")
    assert Entry.objects.get(pk=message_id).escalation_due_at is None


def test_urgent_reply_and_refusals(world: World, api_as: Any) -> None:
    open_outsider(world)
    thread_id, message_id = urgent_thread(world, api_as)
    reply = api_as(world.biller).post(
        f"/threads/{thread_id}/messages", {"body": "On my way", "urgent": True}
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["urgent"] is True
    plain = api_as(world.biller).post(f"/threads/{thread_id}/messages", {"body": "Done"})
    # Acknowledging a message that is not urgent: 400.
    field_error(
        api_as(world.clinician).post(f"/messages/{plain.json()['id']}/acknowledge"), "message"
    )
    # Its author does not acknowledge it.
    field_error(api_as(world.clinician).post(f"/messages/{message_id}/acknowledge"), "message")
    # Outsiders and non-participants: 404.
    for user in (world.co_clinician, world.outsider_admin, world.client.user):
        error_of(api_as(user).post(f"/messages/{message_id}/acknowledge"), 404)
    assert Acknowledgement.objects.count() == 0


def test_a_client_cannot_send_urgent_and_nothing_is_stored(world: World, api_as: Any) -> None:
    before = Thread.objects.count()
    answer = api_as(world.client.user).post(
        "/threads",
        {"audience": "clinical", "subject": "Help", "body": "Please call", "urgent": True},
    )
    field_error(answer, "urgent")
    assert Thread.objects.count() == before
    assert Entry.objects.count() == 0


def test_escalation_alerts_the_sender_and_supervisors_once(world: World, api_as: Any) -> None:
    supervisor = with_password(
        create_staff(
            actor=world.admin,
            name="Sue Supervisor",
            email="sue@maple.example",
            roles=["supervisor"],
            location_ids=[world.downtown.pk],
            invite=False,
        )
    )
    elsewhere = with_password(
        create_staff(
            actor=world.admin,
            name="Eli Elsewhere",
            email="eli@maple.example",
            roles=["supervisor"],
            location_ids=[world.eastside.pk],
            invite=False,
        )
    )
    _, message_id = urgent_thread(world, api_as)
    api_as(world.biller).post(f"/messages/{message_id}/acknowledge")
    now = timezone.now()
    assert worker_steps.escalate_due(now) == 0  # not yet due
    later = now + timedelta(minutes=16)
    assert worker_steps.escalate_due(later) == 1
    alerted = set(UrgentAlert.objects.filter(kind="escalation").values_list("user_id", flat=True))
    # The scheduler (Downtown) still awaits: the sender and Downtown's supervisor.
    assert alerted == {world.clinician.pk, supervisor.pk}
    assert elsewhere.pk not in alerted
    assert worker_steps.escalate_due(later + timedelta(minutes=5)) == 0  # once
    assert urgent.escalate(int(message_id), later) is False  # a second worker loses
    assert AuditEvent.objects.filter(action="urgent_escalated").count() == 1


def test_no_escalation_when_everyone_acknowledged(world: World, api_as: Any) -> None:
    _, message_id = urgent_thread(world, api_as)
    for user in (world.biller, world.scheduler):
        api_as(user).post(f"/messages/{message_id}/acknowledge")
    assert worker_steps.escalate_due(timezone.now() + timedelta(hours=1)) == 0
    assert not UrgentAlert.objects.filter(kind="escalation").exists()


def test_the_practice_escalation_time_is_used(world: World, api_as: Any) -> None:
    api_as(world.admin).patch("/practice/settings", {"urgent_escalation_minutes": 60})
    _, message_id = urgent_thread(world, api_as)
    entry = Entry.objects.get(pk=message_id)
    assert entry.escalation_due_at is not None
    assert entry.escalation_due_at - entry.created_at == timedelta(minutes=60)


def test_urgent_emails_go_out_at_once_without_phi(world: World, api_as: Any, smtp: Inbox) -> None:
    set_preferences(user=world.biller, internal_messages=True)
    urgent_thread(world, api_as)
    # Only the biller asked for email about practice messages.
    assert list(UrgentAlert.objects.values_list("user_id", "kind")) == [(world.biller.pk, "urgent")]
    assert worker_steps.send_alerts(timezone.now()) == 1
    assert smtp.wait_for(1)
    [mail] = smtp.messages
    text = mail.as_string()
    assert mail["To"] == world.biller.email
    assert "urgent" in mail["Subject"].lower()
    for phi in ("Client waiting", "2 pm", world.clinician.name, "Maple"):
        assert phi not in text
    assert UrgentAlert.objects.get().sent_at is not None
    assert worker_steps.send_alerts(timezone.now()) == 0  # sent once
