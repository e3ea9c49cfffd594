"""Client Messaging in the browser (F2, F10): a client writes from a phone on the
portal's own sign-in, by audience; the assigned clinician finds it in the Clients
view by its count and dot and answers; staff write to clients; the portal keeps
staff pages and the staff roster out of reach; archive, delete and header edits
work in client threads; Secure Messaging off closes the portal without losing
anything."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from huddle.demo.practice import ADMIN
from huddle.messaging.models import Participant, Thread
from tests.browser.conftest import PHONE
from tests.browser.helpers import fits_width, sign_in
from tests.browser.messaging_steps import (
    LEO,
    OLIVIA,
    PRIYA,
    expect_new_count,
    expect_thread,
    folder,
    header_link,
    new_count,
    open_folder,
    thread_row,
    write,
)
from tests.browser.portal_steps import (
    BAD_SIGN_IN,
    CASEY,
    JORDAN,
    audience,
    expect_view_count,
    open_view,
    portal_compose,
    portal_sign_in,
    portal_thread_id,
    view_toggle,
)

pytestmark = pytest.mark.browser

SUBJECT = "Feeling anxious before Thursday"
BODY = "Hi Priya, I have been anxious this week.\nCould we talk about it on Thursday?"
ANSWER = "Thank you for telling me, Jordan. Yes, we will start with that on Thursday."


def no_script_errors(*pages: Page) -> None:
    for page in pages:
        assert page.js_errors == []  # type: ignore[attr-defined]


def test_a_client_writes_to_clinical_from_a_phone_and_the_clinician_answers(
    make_page: Any,
) -> None:
    priya: Page = make_page()
    sign_in(priya, PRIYA)
    header_before = new_count(priya)
    header_link(priya).click()
    expect_view_count(priya, "Clients", 0)

    # Jordan, on a phone: the portal's own sign-in, + New, Clinical.
    jordan: Page = make_page(PHONE)
    portal_sign_in(jordan, JORDAN)
    jordan_before = new_count(jordan)
    assert fits_width(jordan)
    portal_compose(jordan, "Clinical", SUBJECT, BODY)
    expect(audience(jordan, "Clinical")).to_be_checked()
    expect(audience(jordan, "Billing")).not_to_be_checked()
    assert fits_width(jordan)
    jordan.get_by_role("button", name="Send Message").click()
    expect_thread(jordan, SUBJECT)
    expect(jordan.get_by_role("status")).to_contain_text("sent to the practice")
    expect(jordan.get_by_role("main")).to_contain_text("Clinical")
    timeline = jordan.get_by_role("list", name="Messages")
    expect(timeline.get_by_role("listitem")).to_have_count(1)
    expect(timeline).to_contain_text("Could we talk about it on Thursday?")
    assert fits_width(jordan)

    # Priya: the header counts it, the Clients toggle has its own count, the dot.
    priya.reload()
    expect_new_count(priya, header_before + 1)
    expect_view_count(priya, "Clients", 1)
    open_view(priya, "Clients")
    row = thread_row(priya, SUBJECT)
    expect(row.get_by_role("img", name="unread")).to_be_visible()
    expect(row).to_contain_text("Jordan Avery")
    expect(row).to_contain_text("Clinical")
    expect(folder(priya).get_by_role("listitem").first).to_contain_text(SUBJECT)

    row.get_by_role("link").click()
    expect_thread(priya, SUBJECT)
    expect(priya.get_by_role("main")).to_contain_text("Jordan Avery")
    expect_new_count(priya, header_before)
    priya.get_by_label("Reply").fill(ANSWER)
    priya.get_by_role("button", name="Send reply").click()
    expect(priya.get_by_role("list", name="Messages").get_by_role("listitem")).to_have_count(2)
    header_link(priya).click()
    expect_view_count(priya, "Clients", 0)

    # Jordan sees the answer: a count in the header, the dot, then the reply itself.
    # (The open thread would mark it read on reload: go to the inbox instead.)
    header_link(jordan).click()
    expect_new_count(jordan, jordan_before + 1)
    jordan_row = thread_row(jordan, SUBJECT)
    expect(jordan_row.get_by_role("img", name="unread")).to_be_visible()
    expect(jordan_row).to_contain_text("Priya Raman")
    assert fits_width(jordan)
    jordan_row.get_by_role("link").click()
    expect_thread(jordan, SUBJECT)
    replies = jordan.get_by_role("list", name="Messages").get_by_role("listitem")
    expect(replies).to_have_count(2)
    expect(replies.last).to_contain_text("Priya Raman")
    expect(replies.last).to_contain_text(ANSWER)
    expect_new_count(jordan, jordan_before)
    assert fits_width(jordan)

    # On it: the client, their assigned clinician (and, by the documented rule, the
    # clinical admins and supervisors); never another clinician or the billers.
    on_thread = set(
        Participant.objects.filter(thread_id=portal_thread_id(jordan)).values_list(
            "user__email", flat=True
        )
    )
    assert {JORDAN, PRIYA} <= on_thread
    for other in ("marcus@riverside.example", "elena@riverside.example", LEO, OLIVIA):
        assert other not in on_thread
    no_script_errors(priya, jordan)


def test_each_sign_in_page_refuses_the_other_kind_of_person(make_page: Any) -> None:
    page: Page = make_page()

    # Staff sign-in refuses a client, with the same words as a wrong password.
    page.goto("/signin")
    page.get_by_label("Email").fill(JORDAN)
    page.get_by_label("Password").fill("riverside-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text(BAD_SIGN_IN)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    # The portal refuses staff the same way, and a wrong password too.
    for email, password in ((PRIYA, "riverside-demo-2026"), (JORDAN, "not the password")):
        page.goto("/portal/signin")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_have_text(BAD_SIGN_IN)
        expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
        expect(page.get_by_label("Email")).to_have_value(email)
        expect(page.get_by_label("Password")).to_have_value("")
    no_script_errors(page)


def test_a_client_sees_no_staff_pages_no_roster_and_no_one_elses_threads(
    make_page: Any,
) -> None:
    internal = Thread.objects.get(subject="Holiday schedule")
    jordans = Thread.objects.get(subject="Moving next week's session")

    casey: Page = make_page(PHONE)
    portal_sign_in(casey, CASEY)
    for path in (
        "/messages/",
        "/messages/?view=clients",
        f"/messages/{internal.pk}",
        "/settings/staff/",
        "/settings/secure-messaging",
        "/messages/new",
    ):
        response = casey.goto(path)
        assert response is not None
        assert response.status in (403, 404), path
        # The page that says so wears the portal's header, not the staff one.
        expect(casey.get_by_role("link", name="Back to your messages")).to_be_visible()
        expect(casey.get_by_role("link", name="Settings")).to_have_count(0)
    for path in (f"/portal/{jordans.pk}", f"/portal/{internal.pk}"):
        response = casey.goto(path)
        assert response is not None
        assert response.status == 404, path

    # Casey's own billing thread: the team's name, the authors; never who is on it.
    casey.goto("/portal/")
    expect(thread_row(casey, "Moving next week's session")).to_have_count(0)
    thread_row(casey, "Question about my statement").get_by_role("link").click()
    main = casey.get_by_role("main")
    expect(main).to_contain_text("Billing")
    expect(main).to_contain_text("Casey Morgan")
    for staff_name in ("Leo Martin", "Hannah Cole", "Ruth Mendel", "Participants"):
        expect(main).not_to_contain_text(staff_name)
    expect(casey.get_by_role("navigation", name="Inbox views")).to_have_count(0)
    no_script_errors(casey)


def test_staff_start_a_thread_with_a_client_from_the_clients_view(make_page: Any) -> None:
    priya: Page = make_page()
    sign_in(priya, PRIYA)
    header_link(priya).click()
    open_view(priya, "Clients")
    priya.get_by_role("link", name="+ New").click()
    expect(priya.get_by_role("heading", name="New client message", level=1)).to_be_visible()
    # Only her own clients are offered.
    client = priya.get_by_label("Client", exact=True)
    expect(client.get_by_role("option", name="Jordan Avery")).to_have_count(1)
    expect(client.get_by_role("option", name="Casey Morgan")).to_have_count(0)
    client.select_option(label="Jordan Avery")
    priya.get_by_label("Team").select_option(label="Clinical")
    write(priya, "Your sleep diary", "Hi Jordan, here is the sleep diary we talked about.")
    priya.get_by_role("button", name="Send Message").click()
    expect_thread(priya, "Your sleep diary")
    expect(priya.get_by_role("status")).to_contain_text("Your message was sent.")
    expect(priya.get_by_role("main")).to_contain_text("Jordan Avery")
    priya.get_by_role("link", name="Inbox").click()
    expect(view_toggle(priya, "Clients")).to_have_attribute("aria-current", "page")
    expect(thread_row(priya, "Your sleep diary")).to_be_visible()

    jordan: Page = make_page(PHONE)
    portal_sign_in(jordan, JORDAN)
    # The demo's answer about moving a session, and Priya's new thread.
    expect_new_count(jordan, 2)
    row = thread_row(jordan, "Your sleep diary")
    expect(row.get_by_role("img", name="unread")).to_be_visible()
    expect(row).to_contain_text("Clinical")
    row.get_by_role("link").click()
    expect(jordan.get_by_role("list", name="Messages")).to_contain_text("sleep diary")
    jordan.get_by_label("Reply").fill("Got it, thank you!")
    jordan.get_by_role("button", name="Send reply").click()
    expect(jordan.get_by_role("list", name="Messages").get_by_role("listitem")).to_have_count(2)

    priya.reload()
    expect_view_count(priya, "Clients", 1)
    expect(thread_row(priya, "Your sleep diary").get_by_role("img", name="unread")).to_be_visible()
    no_script_errors(priya, jordan)


def test_a_client_edits_the_header_archives_and_deletes_with_confirmation(
    make_page: Any,
) -> None:
    subject = "Moving next week's session"
    jordan: Page = make_page(PHONE)
    portal_sign_in(jordan, JORDAN)
    thread_row(jordan, subject).get_by_role("link").click()
    expect_thread(jordan, subject)

    # Edit → Save Changes; the clinician sees the notice, and it is not a new message.
    jordan.get_by_role("button", name="Edit").click()
    header = jordan.get_by_label("Thread header")
    expect(header).to_be_focused()
    header.fill("Moving Tuesday's session to Thursday")
    jordan.get_by_role("button", name="Save Changes").click()
    subject = "Moving Tuesday's session to Thursday"
    expect_thread(jordan, subject)
    priya: Page = make_page()
    sign_in(priya, PRIYA)
    header_link(priya).click()
    open_view(priya, "Clients")
    expect_view_count(priya, "Clients", 0)
    thread_row(priya, subject).get_by_role("link").click()
    expect(priya.get_by_role("note")).to_contain_text(
        "Jordan Avery changed the thread header from “Moving next week's session” "
        "to “Moving Tuesday's session to Thursday”"
    )

    # Archive asks first; Cancel changes nothing.
    jordan.get_by_role("button", name="Archive").click()
    dialog = jordan.get_by_role("alertdialog", name="Archive this thread?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect_thread(jordan, subject)

    jordan.get_by_role("button", name="Archive").click()
    jordan.get_by_role("alertdialog").get_by_role("button", name="Archive").click()
    expect(jordan.get_by_role("status")).to_contain_text("The thread was archived.")
    expect(folder(jordan, "Inbox")).to_be_visible()
    expect(thread_row(jordan, subject)).to_have_count(0)
    open_folder(jordan, "Archived")
    thread_row(jordan, subject, "Archived").get_by_role("link").click()
    expect_thread(jordan, subject)
    assert fits_width(jordan)

    # Delete asks too, and takes it out of Jordan's folders only.
    jordan.get_by_role("button", name="Delete").click()
    dialog = jordan.get_by_role("alertdialog", name="Delete this thread?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Delete").click()
    expect(jordan.get_by_role("status")).to_contain_text("deleted from your folders")
    expect(thread_row(jordan, subject)).to_have_count(0)
    open_folder(jordan, "Archived")
    expect(thread_row(jordan, subject, "Archived")).to_have_count(0)

    # Priya keeps it; her reply brings it back to Jordan with the dot.
    priya.get_by_label("Reply").fill("Just checking: does Thursday still suit you?")
    priya.get_by_role("button", name="Send reply").click()
    expect(priya.get_by_role("list", name="Messages").get_by_role("listitem").last).to_contain_text(
        "does Thursday still suit you?"
    )
    jordan.get_by_role("navigation", name="Folders").get_by_role("link", name="Inbox").click()
    expect(thread_row(jordan, subject).get_by_role("img", name="unread")).to_be_visible()
    no_script_errors(priya, jordan)


def test_secure_messaging_off_closes_the_portal_and_the_clients_view_without_loss(
    make_page: Any,
) -> None:
    jordan: Page = make_page(PHONE)
    portal_sign_in(jordan, JORDAN)
    expect(thread_row(jordan, "Moving next week's session")).to_be_visible()
    priya: Page = make_page()
    sign_in(priya, PRIYA)

    admin: Page = make_page()
    sign_in(admin, ADMIN[1])
    admin.goto("/settings/secure-messaging")
    admin.get_by_label("Enable Practice Messaging").uncheck()
    admin.get_by_label("Enable Secure Messaging").uncheck()
    admin.get_by_role("button", name="Save settings").click()
    expect(admin.get_by_role("status")).to_be_visible()

    jordan.reload()
    expect(jordan.get_by_role("heading", name="Messaging is unavailable")).to_be_visible()
    expect(jordan.get_by_role("main")).not_to_contain_text("Settings")
    expect(jordan.get_by_role("link", name="+ New")).to_have_count(0)
    assert fits_width(jordan)
    jordan.goto("/portal/new")
    expect(jordan.get_by_role("heading", name="Messaging is unavailable")).to_be_visible()

    priya.goto("/messages/?view=clients")
    expect(priya.get_by_role("heading", name="Messaging is unavailable")).to_be_visible()

    admin.get_by_label("Enable Secure Messaging").check()
    admin.get_by_label("Enable Practice Messaging").check()
    admin.get_by_role("button", name="Save settings").click()
    expect(admin.get_by_role("status")).to_be_visible()

    jordan.goto("/portal/")
    expect(thread_row(jordan, "Moving next week's session")).to_be_visible()
    thread_row(jordan, "Moving next week's session").get_by_role("link").click()
    expect(jordan.get_by_role("list", name="Messages")).to_contain_text("Thursday at 3 pm")
    priya.goto("/messages/?view=clients")
    expect(thread_row(priya, "Moving next week's session")).to_be_visible()
    no_script_errors(priya, jordan, admin)
