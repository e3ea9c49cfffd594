"""The two panes (issue #17): threads open beside the list without a page load,
with real addresses, back/forward and reload; one pane on phones; keyboard
shortcuts; the live region; the phone menu; a keyboard-only morning; and the
same pages with JavaScript off."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from huddle.accounts.models import User
from huddle.messaging.access import get_participation
from huddle.messaging.actions import reply, start_thread
from huddle.messaging.models import Entry, Participant, Thread
from tests.browser.helpers import ADMIN_EMAIL, sign_in
from tests.browser.messaging_steps import LEO, PRIYA
from tests.browser.test_accessibility import NARROW, WIDE

pytestmark = pytest.mark.browser


def thread_from_leo(subject: str = "Claim status") -> Thread:
    leo = User.objects.get(email=LEO)
    priya = User.objects.get(email=PRIYA)
    return start_thread(sender=leo, user_ids=[priya.pk], subject=subject, body="Any news?")


def mark_page(page: Page) -> None:
    """A flag that a full page load would lose."""
    page.evaluate("window.notReloaded = true")


def not_reloaded(page: Page) -> bool:
    return bool(page.evaluate("window.notReloaded === true"))


def row(page: Page, subject: str) -> Any:
    return page.locator("#pane-list [data-thread-link]").filter(has_text=subject)


def in_timeline(page: Page, text: str) -> Any:
    """A message's text in the thread's Messages list (one's own messages also hold
    it in their Edit form's textarea, out of sight until Edit is opened)."""
    timeline = page.get_by_role("list", name="Messages")
    return timeline.locator(".message-body").filter(has_text=re.compile(rf"^{re.escape(text)}$"))


def tab_through_send_options(page: Page) -> None:
    """From a message's text to its send button, the Tab stops between: the files,
    Urgent, When and the scheduled messages' link."""
    for stop in (
        page.get_by_label("Attach files"),
        page.get_by_role("checkbox", name="Urgent"),
        page.get_by_role("combobox", name="When"),
        page.get_by_role("link", name="see and change your scheduled messages"),
    ):
        page.keyboard.press("Tab")
        expect(stop).to_be_focused()
    page.keyboard.press("Tab")


def test_a_thread_opens_beside_the_list_and_replies_archive_without_a_page_load(
    make_page: Any,
) -> None:
    thread = thread_from_leo()
    page: Page = make_page(WIDE)
    sign_in(page, PRIYA)
    page.goto("/messages/")
    mark_page(page)

    row(page, "Claim status").click()
    expect(page).to_have_url(re.compile(rf"/messages/{thread.pk}$"))
    expect(page.locator("#thread-subject")).to_have_text("Claim status")
    expect(page.locator("#thread-subject")).to_be_focused()
    expect(page.locator("#pane-list")).to_be_visible()
    expect(row(page, "Claim status")).to_have_attribute("aria-current", "true")
    assert not_reloaded(page)
    assert Participant.objects.get(thread=thread, user__email=PRIYA).unread_count == 0

    page.get_by_role("textbox", name="Reply").fill("Paid on Tuesday.")
    page.get_by_role("button", name="Send reply").click()
    expect(in_timeline(page, "Paid on Tuesday.")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/messages/{thread.pk}$"))
    assert not_reloaded(page)
    assert Entry.objects.filter(thread=thread, body="Paid on Tuesday.").count() == 1

    # A reply with nothing in it: the error, the same address, the focus on the field.
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".reply .error")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/messages/{thread.pk}$"))
    expect(page.get_by_role("textbox", name="Reply")).to_be_focused()
    assert not_reloaded(page)

    # Reload and back/forward show the same states; the sent reply is no draft again.
    with page.expect_response(re.compile(rf"/api/v1/threads/{thread.pk}/draft$")) as draft:
        page.reload()
    assert draft.value.status == 404
    expect(page.get_by_role("textbox", name="Reply")).to_have_value("")
    expect(page.locator("#thread-subject")).to_have_text("Claim status")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/messages/$"))
    expect(page.locator("#pane-main .pane-empty")).to_be_visible()
    page.go_forward()
    expect(page.locator("#thread-subject")).to_have_text("Claim status")

    mark_page(page)
    page.get_by_role("button", name="Archive").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Archive").click()
    expect(page.get_by_role("status").filter(has_text="The thread was archived.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/messages/$"))
    expect(row(page, "Claim status")).to_have_count(0)
    assert not_reloaded(page)
    assert Participant.objects.get(thread=thread, user__email=PRIYA).archived


def test_phones_show_one_pane_at_a_time(make_page: Any) -> None:
    thread_from_leo()
    page: Page = make_page(NARROW)
    sign_in(page, PRIYA)
    page.goto("/messages/")
    expect(page.locator("#pane-list")).to_be_visible()
    expect(page.locator("#pane-main")).to_be_hidden()
    row(page, "Claim status").click()
    expect(page.locator("#thread-subject")).to_be_visible()
    expect(page.locator("#pane-list")).to_be_hidden()
    page.go_back()
    expect(page.locator("#pane-list")).to_be_visible()
    expect(page.locator("#pane-main")).to_be_hidden()


def test_the_keyboard_shortcuts(make_page: Any) -> None:
    newest = thread_from_leo("Second claim")
    page: Page = make_page(WIDE)
    sign_in(page, PRIYA)
    page.goto("/messages/")
    links = page.locator("#pane-list [data-thread-link]")
    first, second = links.nth(0).inner_text(), links.nth(1).get_attribute("href")

    page.keyboard.press("j")
    expect(page).to_have_url(re.compile(rf"/messages/{newest.pk}$"))
    assert "Second claim" in first
    page.keyboard.press("j")
    expect(page).to_have_url(re.compile(rf"{second}$"))
    page.keyboard.press("k")
    expect(page).to_have_url(re.compile(rf"/messages/{newest.pk}$"))
    expect(page.locator("#thread-subject")).to_have_text("Second claim")

    page.keyboard.press("r")
    expect(page.get_by_role("textbox", name="Reply")).to_be_focused()
    page.keyboard.type("jk typed here stays text")  # keys in a field are not shortcuts
    expect(page).to_have_url(re.compile(rf"/messages/{newest.pk}$"))
    page.get_by_role("textbox", name="Reply").fill("")
    page.locator("#thread-subject").focus()

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_contain_text("Next thread")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # "/" goes to the search box when the page has one (#search-q).
    page.evaluate(
        """() => { const i = document.createElement('input'); i.id = 'search-q';
        i.setAttribute('aria-label', 'Search');
        document.querySelector('#pane-list').prepend(i); }"""
    )
    page.keyboard.press("/")
    expect(page.locator("#search-q")).to_be_focused()
    page.locator("#thread-subject").focus()

    page.keyboard.press("e")
    expect(page).to_have_url(re.compile(r"/messages/$"))
    assert Participant.objects.get(thread=newest, user__email=PRIYA).archived

    page.keyboard.press("c")
    expect(page).to_have_url(re.compile(r"/messages/new$"))
    expect(page.get_by_role("combobox", name="To")).to_be_focused()


def test_a_new_message_is_announced_in_the_live_region(make_page: Any) -> None:
    thread = thread_from_leo()
    page: Page = make_page(WIDE)
    sign_in(page, PRIYA)
    page.goto("/messages/")
    expect(page.locator("html[data-live=open]")).to_have_count(1)
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    leo = User.objects.get(email=LEO)
    reply(author=leo, participation=get_participation(leo, thread.pk), body="One more thing")
    expect(announcer).to_have_text(re.compile(r"^New message from Leo Martin in Claim status\."))
    expect(row(page, "Claim status")).to_contain_text("One more thing")


def test_the_phone_menu_folds_the_sections_into_one_button(make_page: Any) -> None:
    page: Page = make_page(NARROW)
    sign_in(page, ADMIN_EMAIL)
    nav = page.get_by_role("navigation", name="Main")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(nav.get_by_role("link", name="Staff")).to_be_hidden()
    bar = page.locator(".topbar").bounding_box()
    assert bar is not None and bar["height"] < 64  # one row, not three
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Staff")).to_be_visible()
    expect(nav.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(nav.get_by_role("link", name="Staff")).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    nav.get_by_role("link", name="Staff").click()
    expect(page).to_have_url(re.compile(r"/settings/staff/$"))


def test_a_morning_of_messages_by_keyboard_alone(make_page: Any) -> None:
    """The help article's flow without a mouse: sign in, + New to a group, send,
    open the reply that comes back, answer it, archive it."""
    page: Page = make_page(WIDE)
    page.goto("/signin")
    expect(page.get_by_label("Email")).to_be_focused()  # autofocus
    page.keyboard.type(PRIYA)
    page.keyboard.press("Tab")
    page.keyboard.type("riverside-demo-2026")
    page.keyboard.press("Enter")
    expect(page.locator("summary.user-button")).to_be_visible()
    page.goto("/messages/")

    page.keyboard.press("c")
    expect(page.get_by_role("combobox", name="To")).to_be_focused()
    page.keyboard.type("Leo")
    expect(page.get_by_role("option", name=re.compile("Leo Martin"))).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("textbox", name="Subject")).to_be_focused()
    page.keyboard.type("Keyboard morning")
    page.keyboard.press("Tab")
    page.keyboard.type("Sent without a mouse.")
    tab_through_send_options(page)
    expect(page.get_by_role("button", name="Send Message")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#thread-subject")).to_have_text("Keyboard morning")
    thread = Thread.objects.get(subject="Keyboard morning")
    assert {p.user.email for p in thread.participants.select_related("user")} == {PRIYA, LEO}

    leo = User.objects.get(email=LEO)
    reply(author=leo, participation=get_participation(leo, thread.pk), body="Got it.")
    expect(in_timeline(page, "Got it.")).to_be_visible()
    page.keyboard.press("r")
    page.keyboard.type("Thanks, Leo.")
    tab_through_send_options(page)
    expect(page.get_by_role("button", name="Send reply")).to_be_focused()
    page.keyboard.press("Enter")
    expect(in_timeline(page, "Thanks, Leo.")).to_be_visible()
    page.locator("#thread-subject").focus()
    page.keyboard.press("e")
    expect(page).to_have_url(re.compile(r"/messages/$"))
    assert Participant.objects.get(thread=thread, user__email=PRIYA).archived
    assert Entry.objects.filter(thread=thread, body="Thanks, Leo.").count() == 1
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_everything_still_works_without_javascript(
    browser: Browser, live_server: Any, demo: None
) -> None:
    thread = thread_from_leo()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/signin")
        page.get_by_label("Email").fill(PRIYA)
        page.get_by_label("Password").fill("riverside-demo-2026")
        page.get_by_role("button", name="Sign in").click()
        page.goto("/messages/")
        row(page, "Claim status").click()
        expect(page).to_have_url(re.compile(rf"/messages/{thread.pk}$"))
        page.get_by_role("textbox", name="Reply").fill("No script needed.")
        page.get_by_role("button", name="Send reply").click()
        expect(page.get_by_role("list", name="Messages")).to_contain_text("No script needed.")
        # The user menu is a <details>: it opens without script too.
        page.locator("summary.user-button").click()
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/signin"))
    finally:
        context.close()
    assert Entry.objects.filter(thread=thread, body="No script needed.").count() == 1
