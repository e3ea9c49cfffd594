"""Availability in Chromium (F22-F24), at desktop and phone width, with
screenshots for a person to look at (artifacts/screenshots/60-...): the
Practice hours page and its errors, Profile > Away and the header's "Away",
a covered client thread, the portal's notices and the after-hours reply, and a
reply-only client's portal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from huddle.accounts.models import User
from huddle.availability import actions
from huddle.availability.models import PracticeHours
from huddle.demo.availability import set_demo_hours
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import ADMIN_EMAIL, sign_in
from tests.browser.portal_steps import portal_sign_in
from tests.browser.test_screenshots import shoot

pytestmark = pytest.mark.browser

SIZES = [("desktop", DESKTOP), ("phone", PHONE)]


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_practice_hours_page(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    set_demo_hours(User.objects.get(email=ADMIN_EMAIL))  # the demo's own, not open all week
    page: Page = make_page(viewport)
    sign_in(page, ADMIN_EMAIL)
    page.goto("/settings/secure-messaging")
    page.get_by_role("navigation", name="Settings").get_by_role(
        "link", name="Practice hours"
    ).click()
    expect(page.get_by_role("heading", name="Practice hours", level=1)).to_be_visible()
    expect(page.get_by_label("Monday")).to_have_value("08:00-12:30, 13:30-18:00")
    shoot(page, screenshots, "60-settings-hours", size)
    page.get_by_label("Sunday").fill("14:00-10:00")
    page.get_by_role("button", name="Save hours").click()
    expect(page.get_by_role("alert")).to_contain_text("14:00 to 10:00 ends before it starts.")
    shoot(page, screenshots, "60-settings-hours-error", size)
    page.get_by_label("Sunday").fill("10:00-14:00")
    page.get_by_role("button", name="Save hours").click()
    expect(page.get_by_role("status").first).to_contain_text("Practice hours were saved.")
    assert PracticeHours.objects.get().weekly["sun"] == [["10:00", "14:00"]]
    assert page.js_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_away_and_a_covered_thread(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    elena: Page = make_page(viewport)
    sign_in(elena, "elena@riverside.example")
    away_link = elena.get_by_role("link", name="Away: you are away now")
    expect(away_link).to_be_visible()
    away_link.click()
    expect(elena.get_by_role("status").first).to_contain_text("Marcus Bell is covering")
    shoot(elena, screenshots, "61-profile-away", size)

    marcus: Page = make_page(viewport)
    sign_in(marcus, "marcus@riverside.example")
    marcus.goto("/messages/?view=clients")
    marcus.get_by_role("link", name="Homework from last week").click()
    expect(
        marcus.get_by_role("note").filter(has_text="while covering for Elena Ortiz")
    ).to_be_visible()
    expect(marcus.get_by_text("Elena Ortiz is away until")).to_be_visible()
    shoot(marcus, screenshots, "62-thread-covered", size)

    elena.get_by_role("button", name="I'm back: end now").click()
    elena.get_by_role("alertdialog").get_by_role("button", name="I'm back: end now").click()
    expect(elena.get_by_text("You are not away.")).to_be_visible()
    marcus.reload()
    expect(marcus.get_by_text("This page does not exist, or you may not see it.")).to_be_visible()


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_the_portal_when_closed_and_the_after_hours_reply(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    admin = User.objects.get(email=ADMIN_EMAIL)
    actions.set_hours(
        actor=admin,
        timezone_name="America/New_York",
        weekly={},  # closed all week: the reply comes whatever the time of the test
        after_hours_reply="Thanks for writing. We are closed now and answer on our next "
        "working day. In an emergency, call 911, or call or text 988.",
        portal_guidance="Write to us about appointments, billing and questions between sessions.",
    )
    page: Page = make_page(viewport)
    portal_sign_in(page, "jordan.avery@client.example")
    expect(page.get_by_text("The practice is closed now")).to_be_visible()
    expect(page.get_by_text("call or text 988")).to_be_visible()
    shoot(page, screenshots, "63-portal-closed", size)
    page.get_by_role("link", name="+ New").click()
    page.get_by_label("Clinical").check()
    page.get_by_role("textbox", name="Subject").fill("Late-night question")
    page.get_by_role("textbox", name="Message").fill("Is it normal to feel worse before better?")
    page.get_by_role("button", name="Send Message").click()
    notice = page.get_by_role("note").filter(has_text="Thanks for writing.")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Automatic notice")
    shoot(page, screenshots, "64-portal-after-hours-reply", size)


@pytest.mark.parametrize(("size", "viewport"), SIZES)
def test_a_reply_only_client_sees_no_new_button(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    page: Page = make_page(viewport)
    portal_sign_in(page, "morgan.lee@client.example")
    expect(page.get_by_text("replies only")).to_be_visible()
    expect(page.get_by_role("link", name="+ New")).to_have_count(0)
    shoot(page, screenshots, "65-portal-reply-only", size)
