"""Settings > Audit log in a real browser: an admin finds their own sign-in in
the log, filters it with the labelled controls, and the page fits desktop and
phone width (screenshots in artifacts/screenshots for a person to look at)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import ADMIN_EMAIL, open_nav, sign_in
from tests.browser.test_screenshots import shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_audit_log_shows_and_filters_and_is_captured(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    page: Page = make_page(viewport)
    page.goto("/signin")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    sign_in(page, ADMIN_EMAIL)

    open_nav(page, "Audit log")

    table = page.get_by_role("table")
    expect(table).to_be_visible()
    # Body rows (the phone layout hides the header row from the accessibility tree).
    first_row = table.locator("tbody tr").first
    expect(first_row).to_contain_text("Signed in")
    expect(first_row).to_contain_text("Dana Whitfield")
    expect(first_row).to_contain_text("127.0.0.1")
    # Times are shown in the reader's zone by app.js, without "UTC".
    expect(first_row.locator("time")).not_to_contain_text("UTC")
    shoot(page, screenshots, "60-audit-log", size)

    page.get_by_label("Action").select_option(label="Failed to sign in")
    page.get_by_label("Person").select_option(label="Dana Whitfield")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Failed to sign in")
    shoot(page, screenshots, "61-audit-log-filtered", size)

    page.get_by_label("Thread id").fill("999999")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("No events match these filters.")).to_be_visible()
    assert page.js_errors == []  # type: ignore[attr-defined]
