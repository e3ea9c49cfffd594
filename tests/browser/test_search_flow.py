"""Search in Chromium: a new staff member finds a message from the header's box
and opens its thread at that message; a client does the same in the portal;
the inbox filters work from the page. Screenshots at desktop and phone widths."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from huddle.accounts.actions import create_staff
from huddle.accounts.links import first_password
from huddle.accounts.models import User
from huddle.demo.practice import DEMO_PASSWORD
from huddle.messaging import actions
from tests.browser.conftest import PHONE
from tests.browser.helpers import fits_width, sign_in
from tests.browser.portal_steps import JORDAN, portal_sign_in


def _search_from_header(page: Page, text: str) -> None:
    box = page.get_by_role("search", name="Search messages").first
    box.get_by_role("searchbox").fill(text)
    box.get_by_role("searchbox").press("Enter")
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()


def _search_from_a_phone(page: Page, text: str) -> None:
    """On a phone the bar has a Search link to the search page, not a box."""
    expect(page.get_by_role("search", name="Search messages")).to_be_hidden()
    page.get_by_role("banner").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", name="Search", level=1)).to_be_visible()
    field = page.get_by_label(re.compile("Words to find"))
    field.fill(text)
    field.press("Enter")
    expect(page.locator(".result").first).to_be_visible()


def test_a_new_staff_member_finds_a_message_and_opens_it_there(
    make_page: Any, screenshots: Path
) -> None:
    admin = User.objects.get(email="admin@riverside.example")
    priya = User.objects.get(email="priya@riverside.example")
    nia = first_password(
        user=create_staff(
            actor=admin,
            name="Nia Newcomer",
            email="nia@riverside.example",
            roles=["clinician"],
            invite=False,
        ),
        password=DEMO_PASSWORD,
    )
    thread = actions.start_thread(
        sender=priya,
        user_ids=[nia.pk],
        subject="Welcome to Riverside",
        body="Welcome! The kaleidoscope room is on the second floor, next to Room 5.",
    )
    for i in range(12):
        actions.reply(
            author=priya,
            participation=thread.participants.get(user=priya),
            body=f"Note {i}: nothing to see here.",
        )
    page = make_page()
    sign_in(page, "nia@riverside.example")
    _search_from_header(page, "kaleidoscope")
    assert "kaleidoscope" not in page.url  # the text is posted, never in the URL
    result = page.get_by_role("link", name=re.compile("Welcome to Riverside"))
    expect(result).to_have_count(1)
    expect(result.locator("mark")).to_have_text("kaleidoscope")
    expect(result).to_contain_text("Priya")
    page.screenshot(path=str(screenshots / "search-results.png"), full_page=True)
    result.click()
    expect(page).to_have_url(re.compile(r"/messages/\d+#entry-\d+$"))
    target = page.locator(".message:target")
    expect(target).to_contain_text("kaleidoscope room")
    expect(target).to_be_in_viewport()
    page.screenshot(path=str(screenshots / "search-opened-at-message.png"))
    assert page.js_errors == []


def test_nothing_found_and_an_empty_search_say_so(make_page: Any) -> None:
    page = make_page()
    sign_in(page, "priya@riverside.example")
    _search_from_header(page, "xylophonist")
    expect(page.get_by_role("status")).to_have_text(re.compile("Nothing found"))
    page.get_by_label(re.compile("Words to find")).fill(" ")
    page.get_by_role("main").get_by_role("button", name="Search").click()
    expect(page.get_by_role("alert")).to_have_text("Enter a word to search for.")


def test_a_client_searches_the_portal_on_a_phone(make_page: Any, screenshots: Path) -> None:
    page = make_page(PHONE)
    portal_sign_in(page, JORDAN)
    _search_from_a_phone(page, "thursday")
    results = page.locator(".result")
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark").first).to_have_text(re.compile("thursday", re.IGNORECASE))
    assert fits_width(page)
    page.screenshot(path=str(screenshots / "search-portal-phone.png"), full_page=True)
    results.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/portal/\d+#entry-\d+$"))
    expect(page.locator(".message:target")).to_contain_text(re.compile("thursday", re.IGNORECASE))


def test_inbox_filters_from_the_page(make_page: Any, screenshots: Path) -> None:
    page = make_page()
    sign_in(page, "priya@riverside.example")
    page.goto("/messages/?view=practice")
    filters = page.get_by_role("form", name="Filters")
    filters.get_by_label("With").select_option(label="Leo Martin")
    filters.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"participant_id=\d+"))
    rows = page.locator(".thread-row")
    expect(rows.filter(has_text="Pre-authorization")).to_have_count(1)
    expect(rows.filter(has_text="Room 3 closed")).to_have_count(0)  # Leo is not on it
    page.screenshot(path=str(screenshots / "inbox-filtered.png"))
    page.set_viewport_size(PHONE)
    assert fits_width(page)
    page.screenshot(path=str(screenshots / "inbox-filtered-phone.png"), full_page=True)
    page.get_by_role("link", name="Clear filters").first.click()
    expect(page.locator(".thread-row").first).to_be_visible()
    assert page.locator(".thread-row").count() > 1
