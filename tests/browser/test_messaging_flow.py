"""Practice Messaging in the browser, step by step as the help article tells it:
+ New, the recipient picker with its staff groups, Send Message, the header count
and the unread dot, replies, Edit / Save Changes, Archive and Delete."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from huddle.messaging.models import Participant, Thread
from tests.browser.helpers import sign_in
from tests.browser.messaging_steps import (
    HANNAH,
    LEO,
    OLIVIA,
    PRIYA,
    expect_new_count,
    expect_thread,
    folder,
    header_link,
    new_count,
    open_folder,
    pick_recipient,
    recipients,
    start_new_message,
    thread_id,
    thread_row,
    to_box,
    write,
)

pytestmark = pytest.mark.browser


def test_a_clinician_messages_the_billers_who_reply_edit_archive_and_delete(
    make_page: Any,
) -> None:
    priya: Page = make_page()
    leo: Page = make_page()  # a separate browser context: his own cookies
    sign_in(leo, LEO)
    before = new_count(leo)

    # + New, "Bill" in To, pick the group All Billers.
    sign_in(priya, PRIYA)
    start_new_message(priya)
    pick_recipient(priya, "Bill", "All Billers")
    expect(to_box(priya)).to_have_value("")
    expect(to_box(priya)).to_have_attribute("aria-expanded", "false")

    # The caret shows who is in the group, and collapses again while unchanged.
    priya.get_by_role("button", name="Show members of All Billers").click()
    members = priya.get_by_role("list", name="Members of All Billers")
    expect(members).to_be_visible()
    for name in ("Hannah Cole", "Leo Martin", "Ruth Mendel"):
        expect(members.get_by_role("listitem").filter(has_text=name)).to_be_visible()
    hide = priya.get_by_role("button", name="Hide members of All Billers")
    expect(hide).to_be_focused()
    hide.click()
    expect(members).to_have_count(0)
    expect(priya.get_by_role("button", name="Show members of All Billers")).to_be_focused()

    write(priya, "Superbill for the Avery intake", "Could one of you send the superbill today?")
    priya.get_by_role("button", name="Send Message").click()
    expect_thread(priya, "Superbill for the Avery intake")
    expect(priya.get_by_role("status")).to_contain_text("Your message was sent.")
    expect(priya.get_by_role("main")).to_contain_text("All Billers")

    # Leo: the header counts the new message and the thread has its dot.
    leo.reload()
    expect_new_count(leo, before + 1)
    header_link(leo).click()
    row = thread_row(leo, "Superbill for the Avery intake")
    expect(row.get_by_role("img", name="unread")).to_be_visible()
    expect(row).to_contain_text("Priya Raman")
    expect(row).to_contain_text("Could one of you send the superbill today?")
    # Newest first.
    expect(folder(leo).get_by_role("listitem").first).to_contain_text(
        "Superbill for the Avery intake"
    )

    # Opening it reads it: the count drops; the reply lands in order.
    row.get_by_role("link").click()
    expect_thread(leo, "Superbill for the Avery intake")
    expect_new_count(leo, before)
    leo.get_by_label("Reply").fill("Sent it to the front desk a minute ago.")
    leo.get_by_role("button", name="Send reply").click()
    timeline = leo.get_by_role("list", name="Messages")
    expect(timeline.get_by_role("listitem")).to_have_count(2)
    expect(timeline.get_by_role("listitem").last).to_contain_text("Leo Martin")

    # Priya sees the reply.
    priya.reload()
    priya_timeline = priya.get_by_role("list", name="Messages")
    expect(priya_timeline.get_by_role("listitem").first).to_contain_text("Priya Raman")
    expect(priya_timeline.get_by_role("listitem").last).to_contain_text(
        "Sent it to the front desk a minute ago."
    )

    # Edit (upper right) → Save Changes; the other participant sees the notice.
    leo.get_by_role("button", name="Edit").click()
    header = leo.get_by_label("Thread header")
    expect(header).to_be_focused()
    header.fill("Superbill for the Avery intake (sent)")
    leo.get_by_role("button", name="Save Changes").click()
    expect_thread(leo, "Superbill for the Avery intake (sent)")
    priya.reload()
    expect_thread(priya, "Superbill for the Avery intake (sent)")
    # One sentence with who, the old and the new header.
    expect(priya.get_by_role("note")).to_contain_text(
        "Leo Martin changed the thread header from “Superbill for the Avery intake” "
        "to “Superbill for the Avery intake (sent)”"
    )

    subject = "Superbill for the Avery intake (sent)"
    # Archive asks first; Escape cancels and nothing changes.
    leo.get_by_role("button", name="Archive").click()
    dialog = leo.get_by_role("alertdialog", name="Archive this thread?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("for you only")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    leo.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(leo.get_by_role("button", name="Archive")).to_be_focused()
    expect_thread(leo, subject)
    leo_in = Participant.objects.get(thread_id=thread_id(leo), user__email=LEO)
    assert not leo_in.archived

    # Confirming moves it to Archived.
    leo.get_by_role("button", name="Archive").click()
    leo.get_by_role("alertdialog").get_by_role("button", name="Archive").click()
    expect(leo.get_by_role("status")).to_contain_text("The thread was archived.")
    expect(thread_row(leo, subject)).to_have_count(0)
    open_folder(leo, "Archived")
    thread_row(leo, subject, "Archived").get_by_role("link").click()
    expect_thread(leo, subject)

    # Delete asks first too, and removes it from Leo's folders only.
    leo.get_by_role("button", name="Delete").click()
    dialog = leo.get_by_role("alertdialog", name="Delete this thread?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Delete").click()
    expect(leo.get_by_role("status")).to_contain_text("deleted from your folders")
    expect(folder(leo, "Inbox")).to_be_visible()
    expect(thread_row(leo, subject)).to_have_count(0)
    open_folder(leo, "Archived")
    expect(thread_row(leo, subject, "Archived")).to_have_count(0)

    header_link(priya).click()
    expect(thread_row(priya, subject)).to_be_visible()
    hannah: Page = make_page()
    sign_in(hannah, HANNAH)
    header_link(hannah).click()
    expect(thread_row(hannah, subject).get_by_role("img", name="unread")).to_be_visible()

    for page in (priya, leo, hannah):
        assert page.js_errors == []  # type: ignore[attr-defined]


def test_removing_a_member_of_an_expanded_group_leaves_them_out(make_page: Any) -> None:
    priya: Page = make_page()
    sign_in(priya, PRIYA)
    start_new_message(priya)
    pick_recipient(priya, "Bill", "All Billers")
    priya.get_by_role("button", name="Show members of All Billers").click()
    members = priya.get_by_role("list", name="Members of All Billers")
    priya.get_by_role("button", name="Remove Hannah Cole from All Billers").click()
    expect(members.get_by_role("listitem")).to_have_count(2)
    expect(members).not_to_contain_text("Hannah Cole")
    # Changed: it can no longer be collapsed back into the whole group.
    expect(priya.get_by_role("button", name="Hide members of All Billers")).to_have_count(0)
    expect(priya.get_by_role("button", name="Show members of All Billers")).to_have_count(0)
    expect(recipients(priya)).to_contain_text("All Billers")

    write(priya, "Claim for Taylor Brooks", "Leo and Ruth, please look at the denied claim.")
    priya.get_by_role("button", name="Send Message").click()
    expect_thread(priya, "Claim for Taylor Brooks")

    on_thread = set(
        Participant.objects.filter(thread_id=thread_id(priya)).values_list("user__email", flat=True)
    )
    assert HANNAH not in on_thread
    assert on_thread == {PRIYA, LEO, "ruth@riverside.example"}
    assert priya.js_errors == []  # type: ignore[attr-defined]


def test_the_recipient_combobox_works_from_the_keyboard(make_page: Any) -> None:
    page: Page = make_page()
    sign_in(page, OLIVIA)
    start_new_message(page)
    box = to_box(page)
    box.focus()
    page.keyboard.type("Hannah")
    expect(box).to_have_attribute("aria-expanded", "true")
    option = page.get_by_role("option", name="Hannah Cole")
    expect(option).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id") or "")
    page.keyboard.press("Enter")
    expect(recipients(page).get_by_role("listitem")).to_have_count(1)
    expect(recipients(page)).to_contain_text("Hannah Cole")
    expect(box).to_be_focused()
    expect(box).to_have_value("")
    expect(box).to_have_attribute("aria-expanded", "false")
    # Enter did not send the form.
    expect(page.get_by_role("heading", name="New message", level=1)).to_be_visible()

    # A group, by keyboard too; Escape closes the suggestions; Backspace removes.
    page.keyboard.type("Bill")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(recipients(page).get_by_role("listitem")).to_have_count(2)
    page.keyboard.type("Le")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("listbox")).to_be_hidden()
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    expect(recipients(page).get_by_role("listitem")).to_have_count(1)
    expect(recipients(page)).to_contain_text("Hannah Cole")

    # Every chip control is reachable with Tab.
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="Remove Hannah Cole")).to_be_focused()
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_double_clicking_send_message_creates_one_thread(make_page: Any) -> None:
    page: Page = make_page()
    sign_in(page, PRIYA)
    start_new_message(page)
    pick_recipient(page, "Leo", "Leo Martin")
    write(page, "Only once, please", "Double clicks happen.")
    page.get_by_role("button", name="Send Message").dblclick()
    expect_thread(page, "Only once, please")
    expect(page.get_by_role("list", name="Messages").get_by_role("listitem")).to_have_count(1)
    header_link(page).click()
    expect(thread_row(page, "Only once, please")).to_have_count(1)
    assert Thread.objects.filter(subject="Only once, please").count() == 1
