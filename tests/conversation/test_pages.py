"""The conversation parts of the thread page, the composer and the Scheduled
page, as the insider and the outsider (staff and portal)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.utils import timezone

from huddle.messaging import actions, sending
from huddle.messaging.models import Draft, Entry, EntryVersion, ScheduledMessage, Thread
from tests.conftest import World
from tests.conversation.helpers import (
    age,
    first_message,
    open_outsider,
    participation,
    staff_thread,
)


def test_the_author_edits_and_removes_on_the_page(world: World, page_as: Any) -> None:
    open_outsider(world)
    thread = staff_thread(world)
    entry = first_message(thread)
    author = page_as(world.clinician)
    html = author.get(f"/messages/{thread.pk}").content.decode()
    assert f"/messages/{thread.pk}/m/{entry.pk}/edit" in html
    answer = author.post(f"/messages/{thread.pk}/m/{entry.pk}/edit", {"body": "Room 5 today"})
    assert answer.status_code == 302
    seen = page_as(world.biller).get(f"/messages/{thread.pk}").content.decode()
    assert "Room 5 today" in seen
    assert "edited" in seen
    assert "Earlier version" in seen and "Room 4 today" in seen
    # Nobody else has the buttons, and their POSTs change nothing.
    assert f"/m/{entry.pk}/edit" not in seen
    refused = page_as(world.biller).post(f"/messages/{thread.pk}/m/{entry.pk}/edit", {"body": "x"})
    assert refused.status_code == 403
    assert (
        page_as(world.co_clinician).post(f"/messages/{thread.pk}/m/{entry.pk}/remove").status_code
        == 404
    )
    assert (
        page_as(world.outsider_admin).post(f"/messages/{thread.pk}/m/{entry.pk}/remove").status_code
        == 404
    )
    assert author.post(f"/messages/{thread.pk}/m/{entry.pk}/remove").status_code == 302
    removed = page_as(world.biller).get(f"/messages/{thread.pk}").content.decode()
    assert "Message removed" in removed
    assert "Room 5 today" not in removed and "Room 4 today" not in removed
    assert Entry.objects.get(pk=entry.pk).removed_at is not None
    assert EntryVersion.objects.filter(entry=entry).count() == 2


def test_after_the_window_the_page_says_so_and_keeps_the_text(world: World, page_as: Any) -> None:
    thread = staff_thread(world)
    entry = first_message(thread)
    age(entry, 20)
    author = page_as(world.clinician)
    assert f"/m/{entry.pk}/edit" not in author.get(f"/messages/{thread.pk}").content.decode()
    answer = author.post(f"/messages/{thread.pk}/m/{entry.pk}/edit", {"body": "Late"})
    assert answer.status_code == 409
    assert "15 minutes" in answer.content.decode()
    assert Entry.objects.get(pk=entry.pk).body == "Room 4 today"


def test_urgent_from_the_composer_and_acknowledge_on_the_page(world: World, page_as: Any) -> None:
    sender = page_as(world.clinician)
    sent = sender.post(
        "/messages/new",
        {
            "recipients": [f"user:{world.biller.pk}"],
            "subject": "Client waiting",
            "body": "Your 2 pm client is here",
            "urgent": "on",
            "form_token": str(uuid.uuid4()),
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    thread = Thread.objects.get()
    entry = first_message(thread)
    assert entry.urgent
    inbox = page_as(world.biller).get("/messages/").content.decode()
    assert "tag-urgent" in inbox
    page = page_as(world.biller).get(f"/messages/{thread.pk}").content.decode()
    assert "Acknowledge</button>" in page
    assert "Awaiting" not in page or "Awaiting Bill" not in page
    assert sender.get(f"/messages/{thread.pk}").content.decode().count("Awaiting Bill Biller") == 1
    done = page_as(world.biller).post(f"/messages/{thread.pk}/m/{entry.pk}/acknowledge")
    assert done.status_code == 302
    after = sender.get(f"/messages/{thread.pk}").content.decode()
    assert "Acknowledged by Bill Biller" in after
    assert "tag-urgent" not in page_as(world.biller).get("/messages/").content.decode()


def test_receipts_on_the_thread_page(world: World, page_as: Any) -> None:
    thread = staff_thread(world)
    page_as(world.biller).get(f"/messages/{thread.pk}")
    html = page_as(world.clinician).get(f"/messages/{thread.pk}").content.decode()
    assert "Seen by 1 of 2" in html
    assert "Bill Biller: seen" in html
    assert "Sky Scheduler: not opened yet" in html


def client_thread(world: World) -> Thread:
    return actions.start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="clinical",
        subject="Tuesday",
        body="Can we move it?",
    )


def test_the_portal_shows_read_by_the_practice_only_when_on(world: World, page_as: Any) -> None:
    open_outsider(world)
    thread = client_thread(world)
    page_as(world.clinician).get(f"/messages/{thread.pk}")
    portal = page_as(world.client.user)
    off = portal.get(f"/portal/{thread.pk}").content.decode()
    assert "Read by the practice" not in off
    assert "Seen by" not in off
    world.practice.refresh_from_db()
    world.practice.client_read_receipts = True
    world.practice.save(update_fields=["client_read_receipts"])
    on = portal.get(f"/portal/{thread.pk}").content.decode()
    assert "Read by the practice" in on
    assert world.clinician.name not in on
    # A client edits their own message in the portal; staff see it edited.
    entry = first_message(thread)
    assert (
        portal.post(f"/portal/{thread.pk}/m/{entry.pk}/edit", {"body": "Move to Wed?"}).status_code
        == 302
    )
    assert "Move to Wed?" in page_as(world.clinician).get(f"/messages/{thread.pk}").content.decode()
    # The outsider client: 404.
    other = page_as(world.outsider_client.user)
    assert other.post(f"/portal/{thread.pk}/m/{entry.pk}/edit", {"body": "x"}).status_code == 404


def test_send_later_from_the_reply_box_and_the_scheduled_page(world: World, page_as: Any) -> None:
    thread = staff_thread(world)
    biller = page_as(world.biller)
    answer = biller.post(
        f"/messages/{thread.pk}/reply",
        {"body": "Good morning", "send_later": "tomorrow", "form_token": str(uuid.uuid4())},
    )
    assert answer.status_code == 302
    item = ScheduledMessage.objects.get()
    assert item.send_at > timezone.now()
    assert item.send_at.astimezone(timezone.get_current_timezone()).hour == 8
    assert Entry.objects.filter(thread=thread).count() == 1
    listing = biller.get("/messages/scheduled").content.decode()
    assert "Good morning" in listing
    # Someone else's item: 404, and it is not on their list.
    assert (
        "Good morning" not in page_as(world.clinician).get("/messages/scheduled").content.decode()
    )
    assert (
        page_as(world.clinician)
        .post("/messages/scheduled", {"item": item.pk, "cancel": "1"})
        .status_code
        == 404
    )
    when = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    changed = biller.post(
        "/messages/scheduled",
        {"item": item.pk, f"item{item.pk}-body": "Good afternoon", f"item{item.pk}-send_at": when},
    )
    assert changed.status_code == 302
    assert ScheduledMessage.objects.get().body == "Good afternoon"
    assert biller.post("/messages/scheduled", {"item": item.pk, "cancel": "1"}).status_code == 302
    assert ScheduledMessage.objects.get().status == "cancelled"


def test_a_chosen_time_in_the_past_is_refused_on_the_page(world: World, page_as: Any) -> None:
    thread = staff_thread(world)
    past = (timezone.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    answer = page_as(world.biller).post(
        f"/messages/{thread.pk}/reply",
        {
            "body": "Hi",
            "send_later": "custom",
            "send_at_custom": past,
            "form_token": str(uuid.uuid4()),
        },
    )
    assert answer.status_code == 400
    assert "at least a minute from now" in answer.content.decode()
    assert not ScheduledMessage.objects.exists()


def test_the_composer_lists_drafts_and_opens_one(world: World, page_as: Any, api_as: Any) -> None:
    api_as(world.clinician).post("/drafts", {"subject": "Half done", "body": "Dear team"})
    draft = Draft.objects.get()
    page = page_as(world.clinician).get("/messages/new").content.decode()
    assert "Half done" in page and f"?draft={draft.pk}" in page
    opened = page_as(world.clinician).get(f"/messages/new?draft={draft.pk}").content.decode()
    assert "Dear team" in opened
    assert page_as(world.biller).get(f"/messages/new?draft={draft.pk}").status_code == 404


def test_thread_page_statements_stay_constant_with_urgent_and_edited_messages(
    world: World, page_as: Any
) -> None:
    from tests.messaging.test_query_counts import count

    thread = staff_thread(world)
    mine = participation(world.clinician, thread)
    browser = page_as(world.clinician)

    def grow(n: int) -> None:
        for i in range(n):
            entry = sending.send_reply(
                author=world.clinician, participation=mine, body=f"Urgent {i}", is_urgent=True
            )
            from huddle.messaging import edits

            edits.edit_message(editor=world.clinician, entry_id=entry.pk, body=f"Edited {i}")

    grow(2)
    small = count(lambda: browser.get(f"/messages/{thread.pk}"))
    grow(20)
    large = count(lambda: browser.get(f"/messages/{thread.pk}"))
    assert small == large


def test_settings_page_sets_client_read_receipts_and_escalation(world: World, page_as: Any) -> None:
    from huddle.practices.models import Practice

    admin = page_as(world.admin)
    page = admin.get("/settings/secure-messaging").content.decode()
    assert "Client read receipts" in page and "Escalate unacknowledged urgent" in page
    form = {
        "secure_messaging_enabled": "on",
        "practice_messaging_enabled": "on",
        "auto_archive_days": "30",
        "session_idle_minutes": "30",
        "client_read_receipts": "on",
        "urgent_escalation_minutes": "45",
    }
    assert admin.post("/settings/secure-messaging", form).status_code == 302
    stored = Practice.objects.get(pk=world.practice.pk)
    assert (stored.client_read_receipts, stored.urgent_escalation_minutes) == (True, 45)
    refused = admin.post("/settings/secure-messaging", {**form, "urgent_escalation_minutes": "0"})
    assert refused.status_code == 400
    assert Practice.objects.get(pk=world.practice.pk).urgent_escalation_minutes == 45
    # Not for other staff.
    assert page_as(world.clinician).post("/settings/secure-messaging", form).status_code in (
        403,
        404,
    )


def test_the_client_composer_sends_urgent_or_later(world: World, page_as: Any) -> None:
    clinician = page_as(world.clinician)
    form = {
        "client": str(world.client.pk),
        "audience": "clinical",
        "subject": "Your appointment",
        "body": "Please call us",
        "form_token": str(uuid.uuid4()),
    }
    later = clinician.post("/messages/new?view=clients", {**form, "send_later": "tomorrow"})
    assert later.status_code == 302, later.content.decode()[:1500]
    item = ScheduledMessage.objects.get()
    assert (item.client_id, item.audience, item.thread_id) == (world.client.pk, "clinical", None)
    sent = clinician.post(
        "/messages/new?view=clients", {**form, "urgent": "on", "form_token": str(uuid.uuid4())}
    )
    assert sent.status_code == 302
    thread = Thread.objects.get(client=world.client)
    assert first_message(thread).urgent
