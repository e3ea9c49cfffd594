"""Steps the browser tests share: signing in the way a person does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from huddle.demo.practice import ADMIN, DEMO_PASSWORD

ADMIN_EMAIL = ADMIN[1]


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(user_menu(page)).to_be_visible()


def user_menu(page: Page) -> Locator:
    """The header's user menu (the help article's "User Icon"): avatar and name."""
    return page.locator("summary.user-button")


def open_user_menu(page: Page) -> Locator:
    """Opens the user menu; its panel, with Notifications, Security, Sign out."""
    menu = user_menu(page)
    if menu.locator("xpath=..").get_attribute("open") is None:
        menu.click()
    panel = page.locator(".user-menu .menu-panel")
    expect(panel).to_be_visible()
    return panel


def sign_out(page: Page) -> None:
    open_user_menu(page).get_by_role("button", name="Sign out", exact=True).click()


def open_nav(page: Page, name: str) -> None:
    menu = page.locator(".menu-button")
    if menu.is_visible() and menu.get_attribute("aria-expanded") == "false":
        menu.click()  # narrow screens: the sections are behind one Menu button
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
    # Folded away again on narrow screens: look the link up even when hidden.
    expect(
        page.get_by_role("navigation", name="Main", include_hidden=True).get_by_role(
            "link", name=name, include_hidden=True
        )
    ).to_have_attribute("aria-current", "page")


def fits_width(page: Page) -> bool:
    """True when nothing makes the page scroll sideways."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))
