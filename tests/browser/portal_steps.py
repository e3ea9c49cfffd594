"""Steps of the client portal browser tests: a client's own sign-in, the audience
choice, and the staff side's Clients view."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from huddle.demo.practice import DEMO_PASSWORD
from tests.browser.helpers import user_menu

JORDAN = "jordan.avery@client.example"  # assigned to Priya
CASEY = "casey.morgan@client.example"  # assigned to Marcus
BAD_SIGN_IN = "The email or password is not correct."


def portal_sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """The portal's own sign-in page, as a client uses it."""
    page.goto("/portal/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(user_menu(page)).to_be_visible()
    expect(page.get_by_role("heading", name="Messages", level=1)).to_be_visible()


def audience(page: Page, name: str) -> Locator:
    """A choice of the "Who is this for?" radio group (Clinical, Billing, Administrative)."""
    group = page.get_by_role("group", name="Who is this for?")
    return group.get_by_role("radio", name=re.compile(rf"^{re.escape(name)}\b"))


def portal_compose(page: Page, team: str, subject: str, body: str) -> None:
    page.get_by_role("link", name="+ New").click()
    expect(page.get_by_role("heading", name="New message", level=1)).to_be_visible()
    audience(page, team).check()
    page.get_by_label("Subject", exact=True).fill(subject)
    page.get_by_label("Message", exact=True).fill(body)


def view_toggle(page: Page, name: str) -> Locator:
    """A view along the top of the staff inbox ("Practice", "Clients"), with its count."""
    return page.get_by_role("navigation", name="Inbox views").get_by_role(
        "link", name=re.compile(rf"^{name}\b")
    )


def open_view(page: Page, name: str) -> None:
    view_toggle(page, name).click()
    expect(view_toggle(page, name)).to_have_attribute("aria-current", "page")


def expect_view_count(page: Page, name: str, count: int) -> None:
    """The toggle's own count of new messages, as a screen reader announces it."""
    label = f"{name}, {count} new" if count else name
    expect(view_toggle(page, name)).to_have_accessible_name(label)


def portal_thread_id(page: Page) -> int:
    match = re.search(r"/portal/(\d+)", page.url)
    assert match is not None, page.url
    return int(match.group(1))
