"""In Chromium: an admin adds a colleague, who follows the emailed invitation,
chooses a password and signs in; "Forgot password?"; a link from another site.
Screenshots of each new page at desktop and phone width."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import ADMIN_EMAIL, fits_width, open_user_menu, sign_in
from tests.security.links import link_in_email

pytestmark = pytest.mark.browser
CHOSEN = "nora picked this long passphrase"
PRIYA = "priya@riverside.example"


def shoot(page: Page, folder: Path, name: str, size: str) -> None:
    assert fits_width(page), f"{name} scrolls sideways at {size}"
    page.screenshot(path=str(folder / f"security-{name}-{size}.png"), full_page=True)


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_an_invited_colleague_chooses_a_password_and_signs_in(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    admin = make_page(viewport)
    sign_in(admin, ADMIN_EMAIL)
    admin.goto("/settings/staff/new")
    expect(admin.locator('input[type="password"]')).to_have_count(0)
    admin.get_by_label("Name").fill("Nora Newhire")
    admin.get_by_label("Email").fill("nora@riverside.example")
    admin.get_by_label("Clinician").check()
    admin.get_by_role("button", name="Add staff member").click()
    expect(admin.get_by_role("main")).to_contain_text("invited by email to choose a password")
    admin.get_by_role("link", name="Nora Newhire").click()
    expect(admin.get_by_role("heading", name="Sign-in", exact=True)).to_be_visible()
    shoot(admin, screenshots, "staff-invited", size)

    nora = make_page(viewport)
    nora.goto(link_in_email("nora@riverside.example"))
    expect(nora.get_by_role("heading", name="Choose your password")).to_be_visible()
    assert "token" not in nora.url  # the token left the address bar
    nora.get_by_label("New password", exact=True).fill(CHOSEN)
    nora.get_by_label("New password again").fill("not the same one at all")
    nora.get_by_role("button", name="Save password").click()
    expect(nora.get_by_role("alert")).to_contain_text("The two passwords differ.")
    shoot(nora, screenshots, "choose-password-error", size)
    nora.get_by_label("New password", exact=True).fill(CHOSEN)
    nora.get_by_label("New password again").fill(CHOSEN)
    nora.get_by_role("button", name="Save password").click()
    expect(nora.get_by_role("main")).to_contain_text("Your password is set")
    sign_in(nora, "nora@riverside.example", CHOSEN)


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_forgot_password_then_a_new_one(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    page = make_page(viewport)
    page.goto("/signin")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    shoot(page, screenshots, "forgot", size)
    page.get_by_label("Email").fill(PRIYA)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("main")).to_contain_text("If this address belongs to an account")
    shoot(page, screenshots, "forgot-sent", size)
    page.goto(link_in_email(PRIYA))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    shoot(page, screenshots, "reset-password", size)
    page.get_by_label("New password", exact=True).fill(CHOSEN)
    page.get_by_label("New password again").fill(CHOSEN)
    page.get_by_role("button", name="Save password").click()
    sign_in(page, PRIYA, CHOSEN)
    page.goto("/account/password")
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    shoot(page, screenshots, "link-expired", size)


def test_a_link_from_another_site_asks_to_continue(make_page: Any, screenshots: Path) -> None:
    page = make_page()
    sign_in(page, PRIYA)
    inbox = page.url
    # A page of another origin (a data: URL has none of its own) links to the inbox.
    page.goto(f'data:text/html,<a href="{inbox}">Your inbox</a>')
    page.get_by_role("link", name="Your inbox").click()
    expect(page.get_by_role("heading", name="Continue to Huddle")).to_be_visible()
    shoot(page, screenshots, "continue", "desktop")
    page.get_by_role("link", name="Continue").click()
    # Still signed in, on the page the link pointed at (Sign out is in the user menu).
    expect(page).to_have_url(inbox)
    expect(open_user_menu(page).get_by_role("button", name="Sign out")).to_be_visible()
