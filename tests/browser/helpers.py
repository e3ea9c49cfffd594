"""Steps the browser tests share: signing in the way a person does."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from huddle.practices.demo import ADMIN, DEMO_PASSWORD

ADMIN_EMAIL = ADMIN[1]


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def open_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name=name)
    ).to_have_attribute("aria-current", "page")


def fits_width(page: Page) -> bool:
    """True when nothing makes the page scroll sideways."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
