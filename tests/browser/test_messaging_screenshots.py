"""Full-page screenshots of the staff inbox, the composer (with an expanded group),
a thread (with its header notice) and the archive dialog, at desktop and phone
width, for a person to look at (artifacts/screenshots)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import sign_in
from tests.browser.messaging_steps import (
    PRIYA,
    expect_thread,
    folder,
    header_link,
    open_folder,
    pick_recipient,
    start_new_message,
    thread_row,
    write,
)
from tests.browser.test_screenshots import shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_messaging_pages_fit_and_are_captured(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    page: Page = make_page(viewport)
    sign_in(page, PRIYA)
    header_link(page).click()
    expect(thread_row(page, "Room 3 closed Friday afternoon")).to_be_visible()
    shoot(page, screenshots, "20-messages-inbox", size)

    open_folder(page, "Archived")
    expect(folder(page, "Archived")).to_contain_text("Nothing archived")
    shoot(page, screenshots, "21-messages-archived-empty", size)

    start_new_message(page)
    pick_recipient(page, "Bill", "All Billers")
    pick_recipient(page, "Mar", "Marcus Bell")
    page.get_by_role("button", name="Show members of All Billers").click()
    expect(page.get_by_role("list", name="Members of All Billers")).to_be_visible()
    write(page, "Superbill for the Avery intake", "Could one of you send the superbill today?")
    shoot(page, screenshots, "22-messages-composer", size)
    page.get_by_role("combobox", name="To").fill("Cl")
    expect(page.get_by_role("listbox")).to_be_visible()
    shoot(page, screenshots, "23-messages-composer-suggestions", size)
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()

    page.get_by_role("button", name="Send Message").click()
    expect_thread(page, "Superbill for the Avery intake")
    expect(page.get_by_role("status")).to_be_visible()
    shoot(page, screenshots, "24-messages-sent", size)

    header_link(page).click()
    thread_row(page, "Room 3 closed Friday afternoon").get_by_role("link").click()
    expect(page.get_by_role("note")).to_contain_text("changed the thread header")
    shoot(page, screenshots, "25-messages-thread", size)

    page.get_by_role("button", name="Edit").click()
    expect(page.get_by_label("Thread header")).to_be_focused()
    shoot(page, screenshots, "26-messages-thread-edit", size)
    page.get_by_role("button", name="Cancel").click()

    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    # The modal's backdrop covers the viewport only: capture what a person sees.
    shoot(page, screenshots, "27-messages-archive-dialog", size, full_page=False)
    page.keyboard.press("Escape")

    assert page.js_errors == []  # type: ignore[attr-defined]
