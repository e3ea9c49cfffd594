"""A Practice Admin works through Settings in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from huddle.accounts.models import User
from huddle.administration.actions import NEEDS_SECURE
from huddle.demo.practice import DEMO_NAME
from huddle.practices.models import Location, Practice
from tests.browser.helpers import ADMIN_EMAIL, open_nav, sign_in
from tests.security.links import emails_to

pytestmark = pytest.mark.browser


def stored() -> tuple[bool, bool, int]:
    p = Practice.objects.get(name=DEMO_NAME)
    return p.secure_messaging_enabled, p.practice_messaging_enabled, p.auto_archive_days


def save_settings(page: Page, status: int) -> None:
    """Submit the form and wait for the page that answers it."""
    with (
        page.expect_response(lambda r: r.request.method == "POST") as answer,
        page.expect_navigation(),
    ):
        page.get_by_role("button", name="Save settings").click()
    assert answer.value.status == status


def test_admin_turns_messaging_off_and_on_and_sets_auto_archive(page: Page) -> None:
    sign_in(page, ADMIN_EMAIL)
    open_nav(page, "Settings")
    expect(page.get_by_role("heading", name="Secure Messaging", level=1)).to_be_visible()
    secure = page.get_by_label("Enable Secure Messaging")
    internal = page.get_by_label("Enable Practice Messaging")
    expect(secure).to_be_checked()
    expect(internal).to_be_checked()

    # Unchecking Secure Messaging alone turns both off (F1).
    secure.uncheck()
    save_settings(page, 302)
    expect(page.get_by_role("status")).to_contain_text("Secure Messaging settings were saved.")
    expect(page.get_by_label("Enable Secure Messaging")).not_to_be_checked()
    expect(page.get_by_label("Enable Practice Messaging")).not_to_be_checked()
    assert stored() == (False, False, 30)

    # Practice Messaging cannot be turned on without Secure Messaging.
    page.get_by_label("Enable Practice Messaging").check()
    save_settings(page, 400)
    expect(page.get_by_role("main")).to_contain_text(NEEDS_SECURE)
    assert stored() == (False, False, 30)

    # Both on again, auto-archive after 60 days.
    page.get_by_label("Enable Secure Messaging").check()
    page.get_by_label("Enable Practice Messaging").check()
    page.get_by_label("Auto-archive threads after").select_option("60")
    save_settings(page, 302)
    expect(page.get_by_label("Auto-archive threads after")).to_have_value("60")
    expect(page.get_by_label("Enable Practice Messaging")).to_be_checked()
    assert stored() == (True, True, 60)


def test_admin_adds_a_location(page: Page) -> None:
    sign_in(page, ADMIN_EMAIL)
    open_nav(page, "Locations")
    page.get_by_label("Location name").fill("Northside")
    page.get_by_role("button", name="Add location").click()
    expect(page.get_by_role("status")).to_contain_text("The location Northside was added.")
    expect(page.get_by_role("link", name="Rename Northside")).to_be_visible()
    assert Location.objects.filter(practice__name=DEMO_NAME, name="Northside").exists()


def test_duplicate_location_shows_the_error_by_the_field(page: Page) -> None:
    sign_in(page, ADMIN_EMAIL)
    page.goto("/settings/locations/")
    page.get_by_label("Location name").fill("downtown")
    page.get_by_role("button", name="Add location").click()
    expect(page.get_by_role("main")).to_contain_text(
        "The practice already has a location with this name."
    )
    expect(page.get_by_label("Location name")).to_have_value("downtown")
    assert Location.objects.filter(practice__name=DEMO_NAME).count() == 2


def test_admin_adds_a_staff_member_with_roles_and_a_location(page: Page) -> None:
    sign_in(page, ADMIN_EMAIL)
    open_nav(page, "Staff")
    page.get_by_role("link", name="Add staff member").click()
    page.get_by_label("Name", exact=True).fill("Nadia Novak")
    page.get_by_label("Email", exact=True).fill("nadia@riverside.example")
    roles = page.get_by_role("group", name="Roles")
    roles.get_by_label("Clinician", exact=True).check()
    roles.get_by_label("Supervisor", exact=True).check()
    page.get_by_role("group", name="Locations").get_by_label("Eastside").check()
    # Nobody sets a colleague's password: the person is invited to choose their own.
    expect(page.locator('input[type="password"]')).to_have_count(0)
    page.get_by_role("button", name="Add staff member").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Nadia Novak was added and invited by email to choose a password."
    )
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Nadia Novak"))
    expect(row).to_contain_text("Clinician")
    expect(row).to_contain_text("Supervisor")
    expect(row).to_contain_text("Eastside")
    # The address waits for its owner's confirmation (the invitation confirms it).
    member = User.objects.get(pending_email="nadia@riverside.example")
    assert member.role_set() == {"clinician", "supervisor"}
    assert [loc.name for loc in member.locations.all()] == ["Eastside"]
    assert not member.has_usable_password()
    assert "/account/link?token=" in emails_to("nadia@riverside.example")[-1].body
