"""A clinician turns on two-factor sign-in in a real browser, with the secret the
page shows (as an authenticator app would read it), then signs in with a code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from huddle.accounts.models import User
from huddle.twofactor.devices import has_two_factor
from tests.browser.helpers import open_user_menu, sign_in, sign_out, user_menu
from tests.security.twofactor_steps import code_for_secret

pytestmark = pytest.mark.browser

EMAIL = "priya@riverside.example"


def test_a_clinician_sets_up_two_factor_and_signs_in_with_a_code(
    page: Page, screenshots: Path
) -> None:
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    sign_in(page, EMAIL)
    open_user_menu(page).get_by_role("link", name="Security").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is off")).to_be_visible()
    page.get_by_role("button", name="Set up two-factor sign-in").click()

    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator(".totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", secret)
    page.screenshot(path=screenshots / "two-factor-setup.png", full_page=True)
    page.get_by_label("Code from the app").fill(code_for_secret(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    assert has_two_factor(User.objects.get(email=EMAIL))
    page.screenshot(path=screenshots / "two-factor-recovery-codes.png", full_page=True)
    page.get_by_role("link", name="I saved them, continue").click()
    sign_out(page)

    # Signing in is two steps now: the password, then the code from the app.
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill("riverside-demo-2026")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Authentication code")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_have_count(0)
    page.screenshot(path=screenshots / "two-factor-code-step.png", full_page=True)
    # The code of the next time step: the one set-up used cannot be used again.
    page.get_by_role("textbox", name="Authentication code").fill(
        code_for_secret(secret, step_offset=1)
    )
    page.get_by_role("button", name="Verify and sign in").click()
    expect(user_menu(page)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/messages/"))
    assert blocked == []
    assert page.js_errors == []  # type: ignore[attr-defined]
