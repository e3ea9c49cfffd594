"""Emails go out after the delay, once per burst, without PHI, only to people
who may still see the message (F8). Time is driven by passing `now`."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from email.message import Message

import pytest
from django.utils import timezone

from huddle.accounts.actions import update_staff
from huddle.administration.actions import update_messaging_settings
from huddle.clients.actions import update_client
from huddle.messaging import actions as messaging
from huddle.messaging.access import get_participation
from huddle.notifications.models import Notification, Status
from huddle.notifications.worker import send_due
from tests.conftest import World
from tests.notifications.helpers import (
    BODY,
    SUBJECT,
    after_delay,
    internal_thread,
    opt_in,
    pending_for,
    send_all,
    statuses,
)
from tests.notifications.smtp import Inbox


def text_of(message: Message) -> str:
    parts = [str(v) for v in message.values()]
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            parts.append(payload.decode())
    return "\n".join(parts)


# Words of SUBJECT and BODY that no harmless email would contain.
TELLING_WORDS = ["medication", "panic", "dose", "call."]


def assert_no_phi(raw: bytes, message: Message, *secrets: str) -> None:
    """Nothing of the message or the people in the raw email (headers and body),
    nor in its decoded text: not the whole texts, not a single word of a name."""
    # The recipient's own address has to be there; it is the one thing allowed.
    address = str(message["To"]).lower()
    raw_text = raw.decode("utf-8", errors="replace").lower().replace(address, "")
    decoded = text_of(message).lower().replace(address, "")
    words = set(TELLING_WORDS)
    for secret in secrets:
        words.add(secret)
        if secret not in (SUBJECT, BODY):
            words.update(secret.split())  # a first name alone is already too much
    for word in words:
        assert word.lower() not in raw_text, word
        assert word.lower() not in decoded, word


def test_a_staff_member_who_opted_in_gets_one_email_without_phi(world: World, smtp: Inbox) -> None:
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)

    assert send_all(after_delay()) == 1

    assert smtp.wait_for(1)
    [raw], [message] = smtp.raw, smtp.messages
    assert smtp.recipients == [[world.biller.email]]
    assert message["To"] == world.biller.email
    assert message["Subject"] == "You have a new secure message"
    assert "http://127.0.0.1:8000/signin" in text_of(message)
    assert "/portal/signin" not in text_of(message)
    assert_no_phi(
        raw,
        message,
        SUBJECT,
        BODY,
        world.clinician.name,
        world.biller.name,
        world.client.user.name,
        world.practice.name,
    )
    assert statuses() == {world.biller.pk: Status.SENT}


def test_a_client_gets_an_email_by_default_with_the_portal_link_and_no_phi(
    world: World, smtp: Inbox, settings: object
) -> None:
    messaging.start_client_thread(
        sender=world.clinician,
        client=world.client,
        audience="clinical",
        subject=SUBJECT,
        body=BODY,
    )

    send_all(after_delay())

    assert smtp.wait_for(1)
    [raw], [message] = smtp.raw, smtp.messages
    assert smtp.recipients == [[world.client.user.email]]
    assert "http://127.0.0.1:8000/portal/signin" in text_of(message)
    assert_no_phi(
        raw,
        message,
        SUBJECT,
        BODY,
        world.clinician.name,
        world.client.user.name,
        world.practice.name,
    )


def test_the_sign_in_link_follows_site_url(world: World, smtp: Inbox, settings: object) -> None:
    settings.SITE_URL = "https://huddle.example.org/"  # type: ignore[attr-defined]
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)

    send_all(after_delay())

    assert smtp.wait_for(1)
    assert "https://huddle.example.org/signin" in text_of(smtp.messages[0])


def test_a_client_message_to_staff_sends_no_client_or_practice_name(
    world: World, smtp: Inbox
) -> None:
    opt_in(world.clinician, internal=False, client=True)
    messaging.start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="clinical",
        subject=SUBJECT,
        body=BODY,
    )

    send_all(after_delay())

    assert smtp.wait_for(1)
    assert smtp.recipients == [[world.clinician.email]]
    assert_no_phi(
        smtp.raw[0],
        smtp.messages[0],
        SUBJECT,
        BODY,
        world.client.user.name,
        world.clinician.name,
        world.practice.name,
    )


def test_a_burst_of_ten_messages_gives_one_email(world: World, smtp: Inbox) -> None:
    opt_in(world.biller)
    thread = internal_thread(world.clinician, world.biller)
    mine = get_participation(world.clinician, thread.pk)
    for i in range(9):
        messaging.reply(author=world.clinician, participation=mine, body=f"And {i}")

    assert Notification.objects.filter(user=world.biller).count() == 1
    send_all(after_delay())
    send_all(after_delay(60))

    assert smtp.wait_for(1)
    assert len(smtp.raw) == 1
    assert Notification.objects.get().status == Status.SENT


def test_a_burst_over_several_threads_gives_one_email(world: World, smtp: Inbox) -> None:
    opt_in(world.biller)
    for i in range(10):
        internal_thread(world.clinician, world.biller, subject=f"Thread {i}")

    send_all(after_delay())

    assert smtp.wait_for(1)
    assert len(smtp.raw) == 1


def test_nothing_is_sent_before_the_delay_and_it_goes_once_the_delay_is_over(
    world: World, smtp: Inbox
) -> None:
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    due = pending_for(world.biller).next_attempt_at
    assert due == pending_for(world.biller).created_at + timedelta(seconds=120)

    assert send_due(now=due - timedelta(seconds=1)) == 0
    assert smtp.raw == []
    # The worker looks at least every second, well within 5 seconds of the delay's end.
    assert send_due(now=due + timedelta(seconds=1)) == 1
    assert smtp.wait_for(1)


def test_the_delay_is_read_from_settings(world: World, smtp: Inbox, settings: object) -> None:
    settings.NOTIFICATION_DELAY_SECONDS = 10  # type: ignore[attr-defined]
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    row = pending_for(world.biller)

    assert row.next_attempt_at == row.created_at + timedelta(seconds=10)
    assert send_due(now=row.created_at + timedelta(seconds=11)) == 1
    assert smtp.wait_for(1)


def test_a_message_read_before_the_delay_sends_nothing(world: World, smtp: Inbox) -> None:
    opt_in(world.biller)
    thread = internal_thread(world.clinician, world.biller)
    messaging.mark_read(participation=get_participation(world.biller, thread.pk))

    assert send_all(after_delay()) == 1

    assert smtp.raw == []
    assert statuses() == {world.biller.pk: Status.SKIPPED}


def test_a_new_message_after_one_was_read_is_sent_only_after_its_own_delay(
    world: World, smtp: Inbox
) -> None:
    opt_in(world.biller)
    first = internal_thread(world.clinician, world.biller)
    messaging.mark_read(participation=get_participation(world.biller, first.pk))
    later = timezone.now() + timedelta(seconds=100)
    second = internal_thread(world.clinician, world.biller, subject="Second")
    second.last_message_at = later  # the second message came 100 seconds later
    second.save(update_fields=["last_message_at"])

    send_all(timezone.now() + timedelta(seconds=121))
    assert smtp.raw == []
    assert pending_for(world.biller).next_attempt_at == later + timedelta(seconds=120)

    send_all(later + timedelta(seconds=121))
    assert smtp.wait_for(1)


def test_with_preferences_off_nothing_is_queued_or_sent(world: World, smtp: Inbox) -> None:
    # Staff start with both off.
    internal_thread(world.clinician, world.biller)
    opt_in(world.scheduler, internal=False, client=True)
    internal_thread(world.clinician, world.scheduler)
    opt_in(world.client.user, internal=False, client=False)
    messaging.start_client_thread(
        sender=world.clinician, client=world.client, audience="clinical", subject="S", body="B"
    )

    assert Notification.objects.count() == 0
    send_all(after_delay())
    assert smtp.raw == []


def test_turning_preferences_off_before_the_delay_cancels_the_email(
    world: World, smtp: Inbox
) -> None:
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    opt_in(world.biller, internal=False, client=False)

    send_all(after_delay())

    assert smtp.raw == []
    assert statuses() == {world.biller.pk: Status.SKIPPED}


def test_the_author_gets_no_email_for_their_own_message(world: World, smtp: Inbox) -> None:
    opt_in(world.clinician, world.biller)
    internal_thread(world.clinician, world.biller)

    assert set(statuses()) == {world.biller.pk}


def test_a_clinician_unassigned_before_the_delay_gets_no_email_for_that_client(
    world: World, smtp: Inbox
) -> None:
    opt_in(world.clinician, world.co_clinician, internal=False, client=True)
    messaging.start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="clinical",
        subject=SUBJECT,
        body=BODY,
    )
    assert set(statuses()) == {world.clinician.pk}

    update_client(actor=world.admin, client=world.client, clinician_ids=[world.co_clinician.pk])
    send_all(after_delay())

    assert smtp.raw == []
    assert statuses() == {world.clinician.pk: Status.SKIPPED}


def test_a_client_whose_portal_is_turned_off_gets_no_email(world: World, smtp: Inbox) -> None:
    messaging.start_client_thread(
        sender=world.clinician, client=world.client, audience="clinical", subject="S", body="B"
    )
    update_client(actor=world.admin, client=world.client, portal_enabled=False)
    messaging.start_client_thread(
        sender=world.clinician, client=world.client, audience="clinical", subject="S2", body="B"
    )

    send_all(after_delay())

    assert smtp.raw == []
    assert statuses() == {world.client.pk: Status.SKIPPED}


def test_a_deactivated_staff_member_gets_no_email(world: World, smtp: Inbox) -> None:
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    update_staff(actor=world.admin, staff=world.biller, is_active=False)

    send_all(after_delay())

    assert smtp.raw == []


def test_practice_messaging_switched_off_stops_internal_emails(world: World, smtp: Inbox) -> None:
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    update_messaging_settings(
        actor=world.admin, secure_messaging_enabled=True, practice_messaging_enabled=False
    )

    send_all(after_delay())

    assert smtp.raw == []


def test_a_message_rolled_back_queues_nothing(world: World) -> None:
    opt_in(world.biller)
    with pytest.raises(RuntimeError):
        from django.db import transaction

        with transaction.atomic():
            internal_thread(world.clinician, world.biller)
            raise RuntimeError("the request failed after sending")

    assert Notification.objects.count() == 0


def test_a_refused_email_is_retried_with_back_off_and_logged_without_phi(
    world: World, smtp: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    row = pending_for(world.biller)
    smtp.refuse = True
    first = row.next_attempt_at + timedelta(seconds=1)

    with caplog.at_level(logging.WARNING, logger="huddle.notifications"):
        assert send_due(now=first) == 1

    row.refresh_from_db()
    assert row.status == Status.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at == first + timedelta(minutes=1)
    assert row.last_error == "SMTPDataError"
    [record] = [r for r in caplog.records if r.name == "huddle.notifications"]
    line = record.getMessage()
    assert f"notification {row.pk} for user {world.biller.pk}" in line
    assert "sending failed" in line
    for secret in (SUBJECT, BODY, world.biller.email, world.biller.name, world.clinician.name):
        assert secret not in line
    assert world.practice.name not in line

    # Not before the back-off is over; then again, twice as long.
    assert send_due(now=first + timedelta(seconds=59)) == 0
    second = first + timedelta(minutes=1)
    assert send_due(now=second) == 1
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at) == (2, second + timedelta(minutes=2))

    smtp.refuse = False
    assert send_due(now=second + timedelta(minutes=2)) == 1
    assert smtp.wait_for(1)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 3)
    assert len(smtp.raw) == 1


def test_an_unreachable_server_is_retried_and_logged(
    world: World, settings: object, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.notifications.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = free_port()  # type: ignore[attr-defined]
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)

    with caplog.at_level(logging.WARNING, logger="huddle.notifications"):
        send_all(after_delay())

    row = Notification.objects.get()
    assert (row.status, row.attempts, row.last_error) == (
        Status.PENDING,
        1,
        "ConnectionRefusedError",
    )
    assert any(
        f"notification {row.pk} for user {world.biller.pk}" in r.getMessage()
        for r in caplog.records
    )


def test_after_the_last_attempt_it_gives_up(world: World, smtp: Inbox) -> None:
    from huddle.notifications.actions import MAX_ATTEMPTS

    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    smtp.refuse = True
    now = after_delay()
    for _ in range(MAX_ATTEMPTS):
        assert send_due(now=now) == 1
        now = pending_or_none_next(world.biller.pk) or now

    row = Notification.objects.get()
    assert (row.status, row.attempts) == (Status.FAILED, MAX_ATTEMPTS)
    assert send_due(now=now + timedelta(days=1)) == 0


def pending_or_none_next(user_id: int) -> datetime | None:
    row = Notification.objects.filter(user_id=user_id, status=Status.PENDING).first()
    return row.next_attempt_at if row else None


def test_after_an_email_went_out_a_new_message_queues_a_new_one(world: World, smtp: Inbox) -> None:
    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    send_all(after_delay())
    internal_thread(world.clinician, world.biller, subject="Another")

    send_all(after_delay())

    assert smtp.wait_for(2)
    assert Notification.objects.filter(status=Status.SENT).count() == 2


def test_two_workers_never_send_the_same_notification(world: World, smtp: Inbox) -> None:
    from huddle.notifications import actions

    opt_in(world.biller)
    internal_thread(world.clinician, world.biller)
    now = after_delay()
    row = pending_for(world.biller)

    until = now + timedelta(minutes=2)
    assert actions.claim(row.pk, now=now, until=until) is not None
    # A second worker finds it claimed, and sends nothing.
    assert actions.claim(row.pk, now=now, until=until) is None
    assert send_due(now=now) == 0
    assert smtp.raw == []
