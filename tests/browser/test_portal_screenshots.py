"""Full-page screenshots of the client portal (sign-in, inbox, composer, thread,
messaging off) and of the staff Clients view (inbox, a client thread, the client
composer), at desktop and phone width, for a person to look at
(artifacts/screenshots/30-…). Each page must fit its width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from huddle.practices.models import Practice
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import sign_in
from tests.browser.messaging_steps import (
    PRIYA,
    expect_thread,
    header_link,
    thread_row,
    write,
)
from tests.browser.portal_steps import JORDAN, audience, open_view, portal_sign_in
from tests.browser.test_screenshots import shoot

pytestmark = pytest.mark.browser

SIZES = [("desktop", DESKTOP), ("phone", PHONE)]


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_portal_pages_fit_and_are_captured(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    page: Page = make_page(viewport)
    page.goto("/portal/signin")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    shoot(page, screenshots, "30-portal-signin", size)

    page.get_by_label("Email").fill(JORDAN)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    shoot(page, screenshots, "30-portal-signin-error", size)

    portal_sign_in(page, JORDAN)
    expect(thread_row(page, "Moving next week's session")).to_be_visible()
    shoot(page, screenshots, "31-portal-inbox", size)

    page.get_by_role("link", name="+ New").click()
    expect(page.get_by_role("group", name="Who is this for?")).to_be_visible()
    shoot(page, screenshots, "32-portal-compose", size)

    page.get_by_role("button", name="Send Message").click()
    expect(page.get_by_role("alert")).to_be_visible()
    shoot(page, screenshots, "32-portal-compose-errors", size)

    audience(page, "Clinical").check()
    write(page, "Feeling anxious before Thursday", "Hi Priya,\nCould we talk on Thursday?")
    shoot(page, screenshots, "32-portal-compose-filled", size)

    header_link(page).click()
    thread_row(page, "Moving next week's session").get_by_role("link").click()
    expect_thread(page, "Moving next week's session")
    shoot(page, screenshots, "33-portal-thread", size)

    header_link(page).click()
    page.get_by_role("navigation", name="Folders").get_by_role("link", name="Archived").click()
    expect(page.get_by_role("region", name="Archived")).to_be_visible()
    shoot(page, screenshots, "31-portal-archived-empty", size)

    page.goto("/messages/")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    shoot(page, screenshots, "34-portal-staff-page-not-found", size)

    Practice.objects.update(secure_messaging_enabled=False, practice_messaging_enabled=False)
    page.goto("/portal/")
    expect(page.get_by_role("heading", name="Messaging is unavailable")).to_be_visible()
    shoot(page, screenshots, "34-portal-off", size)

    assert page.js_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_staff_clients_view_fits_and_is_captured(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    page: Page = make_page(viewport)
    sign_in(page, PRIYA)
    header_link(page).click()
    open_view(page, "Clients")
    expect(thread_row(page, "Moving next week's session")).to_be_visible()
    shoot(page, screenshots, "35-staff-clients-view", size)

    thread_row(page, "Moving next week's session").get_by_role("link").click()
    expect_thread(page, "Moving next week's session")
    shoot(page, screenshots, "36-staff-client-thread", size)

    page.get_by_role("link", name="Inbox").click()
    page.get_by_role("link", name="+ New").click()
    expect(page.get_by_role("heading", name="New client message")).to_be_visible()
    shoot(page, screenshots, "37-staff-client-composer", size)

    page.get_by_role("button", name="Send Message").click()
    expect(page.get_by_role("alert")).to_be_visible()
    shoot(page, screenshots, "37-staff-client-composer-errors", size)

    Practice.objects.update(secure_messaging_enabled=False, practice_messaging_enabled=False)
    page.goto("/messages/?view=clients")
    expect(page.get_by_role("heading", name="Messaging is unavailable")).to_be_visible()
    shoot(page, screenshots, "38-staff-clients-off", size)

    assert page.js_errors == []  # type: ignore[attr-defined]
