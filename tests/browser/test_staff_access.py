"""Deactivating through the confirmation dialog, and what other roles see."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from huddle.accounts.access import ADMIN_ONLY
from huddle.accounts.models import User
from huddle.demo.practice import DEMO_PASSWORD
from huddle.signin.pages import BAD_SIGN_IN
from tests.browser.helpers import ADMIN_EMAIL, open_nav, sign_in

pytestmark = pytest.mark.browser


def test_admin_deactivates_through_the_confirmation_dialog(make_page: Any) -> None:
    page: Page = make_page()
    sign_in(page, ADMIN_EMAIL)
    open_nav(page, "Staff")
    page.get_by_role("link", name="Priya Raman").click()
    expect(page.get_by_role("heading", name="Priya Raman", level=1)).to_be_visible()

    # Escape cancels: nothing is sent.
    page.get_by_role("button", name="Deactivate").click()
    dialog = page.get_by_role("alertdialog", name="Deactivate Priya Raman?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("They are signed out everywhere at once")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("button", name="Deactivate")).to_be_focused()
    assert User.objects.get(email="priya@riverside.example").is_active

    # Cancel button cancels too.
    page.get_by_role("button", name="Deactivate").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    assert User.objects.get(email="priya@riverside.example").is_active

    # Confirming deactivates.
    page.get_by_role("button", name="Deactivate").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("status")).to_contain_text("Priya Raman was deactivated.")
    expect(page.get_by_role("button", name="Reactivate")).to_be_visible()
    assert not User.objects.get(email="priya@riverside.example").is_active

    # Priya can no longer sign in.
    other: Page = make_page()
    other.goto("/signin")
    other.get_by_label("Email").fill("priya@riverside.example")
    other.get_by_label("Password").fill(DEMO_PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("alert")).to_contain_text(BAD_SIGN_IN)
    expect(other.get_by_role("button", name="Sign out")).to_have_count(0)
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_clinician_opening_staff_settings_is_told_why_not(page: Page) -> None:
    sign_in(page, "priya@riverside.example")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff")
    ).to_have_count(0)
    response = page.goto("/settings/staff/")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(ADMIN_ONLY)
    expect(page.get_by_role("table")).to_have_count(0)


def test_keyboard_alone_signs_in(page: Page) -> None:
    page.goto("/signin")
    email = page.get_by_label("Email")
    expect(email).to_be_focused()  # autofocus: the first thing to type into
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(email).to_be_focused()
    page.keyboard.type(ADMIN_EMAIL)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Messages", exact=True)).to_be_visible()
    expect(page.get_by_role("banner")).to_contain_text("Dana Whitfield")


def test_skip_link_is_the_first_tab_stop(page: Page) -> None:
    sign_in(page, ADMIN_EMAIL)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
