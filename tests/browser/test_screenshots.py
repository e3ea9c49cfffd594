"""Full-page screenshots of the main pages at desktop and phone width, for a
person to look at (artifacts/screenshots). Each page must also fit the width:
nothing may need sideways scrolling, and no script may fail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import ADMIN_EMAIL, fits_width, sign_in

pytestmark = pytest.mark.browser


def shoot(page: Page, folder: Path, name: str, size: str, full_page: bool = True) -> None:
    assert fits_width(page), f"{name} scrolls sideways at {size}"
    page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=full_page)


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_main_pages_fit_and_are_captured(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    page: Page = make_page(viewport)

    page.goto("/signin")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    shoot(page, screenshots, "01-signin", size)

    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    shoot(page, screenshots, "02-signin-error", size)

    sign_in(page, ADMIN_EMAIL)
    shoot(page, screenshots, "03-home", size)

    page.goto("/settings/secure-messaging")
    expect(page.get_by_label("Enable Secure Messaging")).to_be_visible()
    shoot(page, screenshots, "04-settings", size)

    page.get_by_label("Sign out after this many idle minutes").fill("3")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("main")).to_contain_text("Please check")
    shoot(page, screenshots, "05-settings-error", size)

    page.goto("/settings/locations/")
    expect(page.get_by_role("link", name="Rename Downtown")).to_be_visible()
    shoot(page, screenshots, "06-locations", size)

    page.goto("/settings/staff/")
    expect(page.get_by_role("table")).to_be_visible()
    shoot(page, screenshots, "07-staff-list", size)

    page.goto("/settings/staff/new")
    page.get_by_label("Name", exact=True).fill("x" * 5)
    page.get_by_label("Email", exact=True).fill("priya@riverside.example")
    page.get_by_role("button", name="Add staff member").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one role.")
    shoot(page, screenshots, "08-staff-form-errors", size)

    page.goto("/settings/staff/")
    page.get_by_role("link", name="Priya Raman").click()
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    # The modal's backdrop covers the viewport only: capture what a person sees.
    shoot(page, screenshots, "09-staff-deactivate-dialog", size, full_page=False)
    page.keyboard.press("Escape")

    page.goto("/settings/clients/")
    expect(page.get_by_role("table")).to_be_visible()
    shoot(page, screenshots, "10-clients", size)

    page.goto("/settings/clients/new")
    expect(page.get_by_role("group", name="Assigned clinicians")).to_be_visible()
    shoot(page, screenshots, "11-client-form", size)

    assert page.js_errors == []  # type: ignore[attr-defined]


def test_forbidden_page_is_captured(make_page: Any, screenshots: Path) -> None:
    for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page: Page = make_page(viewport)
        sign_in(page, "leo@riverside.example")
        page.goto("/settings/clients/")
        expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
        shoot(page, screenshots, "12-forbidden", size)
