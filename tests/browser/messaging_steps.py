"""Steps of the messaging browser tests, in the words of the help article."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

PRIYA = "priya@riverside.example"  # clinician
LEO = "leo@riverside.example"  # biller
HANNAH = "hannah@riverside.example"  # biller
OLIVIA = "olivia@riverside.example"  # scheduler

_BADGE = re.compile(r"^Messages, (\d+) new$")


def header_link(page: Page) -> Locator:
    """The header's messages icon, announced with its number ("Messages, 3 new")."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=_BADGE)


def new_count(page: Page) -> int:
    link = header_link(page)
    expect(link).to_be_visible()
    match = _BADGE.match(link.get_attribute("aria-label") or "")
    assert match is not None
    return int(match.group(1))


def expect_new_count(page: Page, count: int) -> None:
    expect(
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name=f"Messages, {count} new", exact=True
        )
    ).to_be_visible()


def folder(page: Page, name: str = "Inbox") -> Locator:
    """The thread list of the folder on screen ("Inbox" or "Archived")."""
    return page.get_by_role("region", name=name, exact=True)


def thread_row(page: Page, subject: str, folder_name: str = "Inbox") -> Locator:
    return folder(page, folder_name).get_by_role("listitem").filter(has_text=subject)


def open_folder(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Folders").get_by_role("link", name=name).click()
    expect(folder(page, name)).to_be_visible()


def start_new_message(page: Page) -> None:
    page.get_by_role("link", name="+ New").click()
    expect(page.get_by_role("heading", name="New message", level=1)).to_be_visible()


def to_box(page: Page) -> Locator:
    return page.get_by_role("combobox", name="To")


def pick_recipient(page: Page, typed: str, option: str) -> None:
    """Type into To and click the suggestion (a listbox option)."""
    to_box(page).fill(typed)
    expect(to_box(page)).to_have_attribute("aria-expanded", "true")
    page.get_by_role("listbox").get_by_role("option", name=option).click()
    expect(recipients(page).get_by_role("listitem").filter(has_text=option).first).to_be_visible()


def recipients(page: Page) -> Locator:
    return page.get_by_role("list", name="Recipients", exact=True)


def write(page: Page, subject: str, body: str) -> None:
    page.get_by_label("Subject", exact=True).fill(subject)
    page.get_by_label("Message", exact=True).fill(body)


def expect_thread(page: Page, subject: str) -> None:
    expect(page.get_by_role("heading", name=subject, level=1)).to_be_visible()


def thread_id(page: Page) -> int:
    match = re.search(r"/messages/(\d+)", page.url)
    assert match is not None, page.url
    return int(match.group(1))
