"""Conversation in Chromium (F17-F21): an urgent message with a draft saved while
typing, acknowledged by its recipient, edited by its author, a reply draft back
after a reload, receipts, and a reply sent later; screenshots at desktop and
phone widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from huddle.messaging.models import Draft, Entry, ScheduledMessage
from tests.browser.conftest import PHONE
from tests.browser.helpers import fits_width, sign_in
from tests.browser.messaging_steps import pick_recipient, start_new_message, write


def test_urgent_acknowledge_edit_drafts_and_send_later(make_page: Any, screenshots: Path) -> None:
    priya = make_page()
    sign_in(priya, "priya@riverside.example")
    start_new_message(priya)
    pick_recipient(priya, "Leo", "Leo Martin")
    write(priya, "Early arrival", "Your 2 pm client is here early")
    # The composer saves a draft while typing, quietly.
    expect(priya.locator("[data-draft-status]", has_text="Saved")).to_be_visible()
    assert Draft.objects.filter(subject="Early arrival").exists()
    priya.get_by_label("Urgent").check()
    priya.screenshot(path=str(screenshots / "conversation-compose-urgent.png"), full_page=True)
    priya.get_by_role("button", name="Send Message").click()
    expect(priya.get_by_role("heading", name="Early arrival", level=1)).to_be_visible()
    assert not Draft.objects.filter(subject="Early arrival").exists()
    expect(priya.get_by_text("Awaiting Leo Martin")).to_be_visible()

    leo = make_page()
    sign_in(leo, "leo@riverside.example")
    leo.goto("/messages/")
    row = leo.locator(".thread-row", has_text="Early arrival")
    expect(row.locator(".tag-urgent")).to_be_visible()
    row.get_by_role("link").click()
    expect(leo.get_by_role("button", name="Acknowledge")).to_be_visible()
    # A reply draft survives a reload.
    leo.get_by_label("Reply").fill("On my way down")
    expect(leo.locator("[data-draft-status]", has_text="Saved")).to_be_visible()
    leo.reload()
    expect(leo.get_by_label("Reply")).to_have_value("On my way down")
    leo.get_by_role("button", name="Acknowledge").click()
    expect(leo.get_by_text("You acknowledged this.")).to_be_visible()

    # The sender sees who acknowledged, and that Leo has seen the message (the
    # live updates are tested with the event stream's servers: tests/conversation).
    priya.reload()
    expect(priya.get_by_text("Acknowledged by Leo Martin")).to_be_visible()
    expect(priya.get_by_text("Seen by 1 of 1")).to_be_visible()
    # Priya fixes a typo in her message.
    priya.locator(".message-edit summary").first.click()
    priya.get_by_label("Edit your message").fill("Your 2 pm client is here early, room 3")
    priya.get_by_role("button", name="Save changes").click()
    expect(priya.get_by_text("Your message was changed.")).to_be_visible()
    leo.reload()
    # In the thread's messages: the inbox list beside it previews the new text too.
    expect(leo.get_by_role("list", name="Messages").get_by_text("room 3")).to_be_visible()
    expect(leo.get_by_text("edited", exact=True)).to_be_visible()
    priya.screenshot(path=str(screenshots / "conversation-thread-sender.png"), full_page=True)
    leo.screenshot(path=str(screenshots / "conversation-thread-recipient.png"), full_page=True)
    message = Entry.objects.get(body__endswith="room 3")
    assert message.urgent and message.edited_at is not None

    # Leo's reply goes tomorrow morning instead.
    leo.get_by_label("When").select_option("tomorrow")
    leo.get_by_role("button", name="Send reply").click()
    expect(leo.get_by_text("Your reply is scheduled")).to_be_visible()
    assert ScheduledMessage.objects.filter(author__email="leo@riverside.example").get().body == (
        "On my way down"
    )
    leo.goto("/messages/scheduled")
    expect(leo.get_by_role("heading", name="Scheduled messages")).to_be_visible()
    leo.screenshot(path=str(screenshots / "conversation-scheduled.png"), full_page=True)
    assert not leo.js_errors and not priya.js_errors

    phone = make_page(PHONE)
    sign_in(phone, "priya@riverside.example")
    phone.goto(f"/messages/{message.thread_id}")
    expect(phone.get_by_text("Acknowledged by Leo Martin")).to_be_visible()
    assert fits_width(phone)
    phone.screenshot(path=str(screenshots / "conversation-thread-phone.png"), full_page=True)
