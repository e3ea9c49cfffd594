"""axe-core on every staff, admin and portal page, and on their states (errors,
menus, dialogs, the header edit, empty lists), at 1366 px and at 390 px: no
violation of any impact. Each state is also saved as a screenshot
(artifacts/screenshots/face/) for a person to look at, and must fit the width."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from huddle.accounts.models import User
from huddle.clients.models import Client
from huddle.messaging.models import Participant
from huddle.practices.models import Location
from tests.browser.axe import describe, violations
from tests.browser.helpers import ADMIN_EMAIL, fits_width, open_user_menu, sign_in, sign_out
from tests.browser.portal_steps import portal_sign_in

pytestmark = pytest.mark.browser

WIDE: ViewportSize = {"width": 1366, "height": 900}
NARROW: ViewportSize = {"width": 390, "height": 844}
PRIYA = "priya@riverside.example"
JORDAN = "jordan.avery@client.example"


class Sweep:
    """Runs axe on each state and keeps what it finds and a screenshot."""

    def __init__(self, page: Page, folder: Path, size: str) -> None:
        self.page = page
        self.folder = folder
        self.size = size
        self.found: dict[str, list[dict[str, Any]]] = {}
        self.states: list[str] = []

    def check(self, state: str, full_page: bool = True) -> None:
        self.page.wait_for_load_state("load")
        assert self.page.js_errors == [], f"{state}: {self.page.js_errors}"  # type: ignore[attr-defined]
        assert fits_width(self.page), f"{state} scrolls sideways at {self.size}"
        self.states.append(state)
        found = violations(self.page)
        if found:
            self.found[f"{state} @ {self.size}"] = found
        self.page.screenshot(
            path=str(self.folder / f"{state}-{self.size}.png"), full_page=full_page
        )

    def visit(self, url: str, state: str, ready: Callable[[Page], Any] | None = None) -> None:
        self.page.goto(url)
        if ready:
            ready(self.page)
        self.check(state)


@pytest.fixture
def folder(screenshots: Path) -> Path:
    path = screenshots / "face"
    path.mkdir(exist_ok=True)
    return path


def first_thread(email: str, view: str = "practice") -> int:
    row = (
        Participant.objects.filter(user__email=email, view=view, deleted=False, archived=False)
        .order_by("-activity_at")
        .first()
    )
    assert row is not None
    return row.thread_id


def staff_states(s: Sweep) -> None:
    page = s.page
    s.visit("/signin", "signin")
    page.get_by_label("Email").fill(PRIYA)
    page.get_by_label("Password").fill("not her password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    s.check("signin-error")

    sign_in(page, PRIYA)
    s.visit("/", "home")
    s.visit("/messages/?view=practice", "inbox-practice")
    s.visit("/messages/?view=clients", "inbox-clients")
    s.visit("/messages/?view=practice&folder=archived", "inbox-archived")
    thread = first_thread(PRIYA)
    s.visit(
        f"/messages/{thread}",
        "thread",
        lambda p: expect(p.locator("#thread-subject")).to_be_visible(),
    )
    s.visit(f"/messages/{thread}?edit=1", "thread-header-edit")
    page.get_by_role("textbox", name="Thread header").fill("")
    page.get_by_role("button", name="Save Changes").click()
    expect(page.locator(".header-edit .error")).to_be_visible()
    s.check("thread-header-error")
    page.goto(f"/messages/{thread}")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".reply .error")).to_be_visible()
    s.check("thread-reply-error")
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_role("alertdialog")).to_be_visible()
    s.check("thread-archive-confirm", full_page=False)
    page.keyboard.press("Escape")
    s.visit(f"/messages/{first_thread(PRIYA, 'clients')}", "thread-client")

    s.visit("/messages/new", "compose")
    page.get_by_role("button", name="Send Message").click()
    expect(page.locator(".form-error")).to_be_visible()
    s.check("compose-errors")
    page.get_by_role("combobox", name="To").fill("Bill")
    expect(page.get_by_role("listbox")).to_be_visible()
    s.check("compose-picker", full_page=False)
    s.visit("/messages/new?view=clients", "compose-client")
    page.get_by_role("button", name="Send Message").click()
    expect(page.locator(".form-error")).to_be_visible()
    s.check("compose-client-errors")

    s.visit("/profile/notifications", "profile-notifications")
    s.visit("/profile/two-factor", "profile-security")
    s.visit("/messages/999999", "not-found")
    page.goto("/messages/")
    open_user_menu(page)
    s.check("user-menu", full_page=False)
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    s.check("shortcuts", full_page=False)
    page.keyboard.press("Escape")
    sign_out(page)


def admin_states(s: Sweep) -> None:
    page = s.page
    sign_in(page, ADMIN_EMAIL)
    s.visit("/", "admin-home")
    menu = page.locator(".menu-button")
    if menu.is_visible():
        menu.click()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        s.check("admin-phone-menu", full_page=False)
        page.keyboard.press("Escape")
    s.visit("/settings/secure-messaging", "admin-settings")
    page.get_by_label("Sign out after this many idle minutes").fill("3")
    page.get_by_role("button", name="Save settings").click()
    expect(page.locator(".form-error")).to_be_visible()
    s.check("admin-settings-error")
    s.visit("/settings/locations/", "admin-locations")
    location = Location.objects.filter(practice__users__email=ADMIN_EMAIL).first()
    assert location is not None
    s.visit(f"/settings/locations/{location.pk}", "admin-location-edit")
    s.visit("/settings/staff/", "admin-staff")
    s.visit("/settings/staff/new", "admin-staff-new")
    page.get_by_role("button", name="Add staff member").click()
    expect(page.locator(".form-error")).to_be_visible()
    s.check("admin-staff-new-errors")
    s.visit(f"/settings/staff/{User.objects.get(email=PRIYA).pk}", "admin-staff-edit")
    s.visit("/settings/clients/", "admin-clients")
    s.visit("/settings/clients/new", "admin-client-new")
    s.visit(f"/settings/clients/{Client.objects.get(user__email=JORDAN).pk}", "admin-client-edit")
    s.visit("/settings/audit", "admin-audit")
    sign_out(page)


def portal_states(s: Sweep) -> None:
    page = s.page
    s.visit("/portal/signin", "portal-signin")
    portal_sign_in(page, JORDAN)
    s.check("portal-inbox")
    s.visit("/portal/?folder=archived", "portal-archived")
    thread = first_thread(JORDAN, "clients")
    s.visit(f"/portal/{thread}", "portal-thread")
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".reply .error")).to_be_visible()
    s.check("portal-reply-error")
    s.visit("/portal/new", "portal-compose")
    page.get_by_role("button", name="Send Message").click()
    expect(page.locator(".form-error")).to_be_visible()
    s.check("portal-compose-errors")
    s.visit("/portal/notifications", "portal-notifications")
    s.visit("/portal/two-factor", "portal-security")
    page.goto("/portal/")
    open_user_menu(page)
    s.check("portal-user-menu", full_page=False)


@pytest.mark.parametrize(("size", "viewport"), [("1366", WIDE), ("390", NARROW)])
def test_every_page_and_state_has_no_axe_violations(
    make_page: Any, folder: Path, size: str, viewport: ViewportSize
) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    checked = 0
    for states in (staff_states, admin_states, portal_states):
        sweep = Sweep(make_page(viewport), folder, size)
        states(sweep)
        found.update(sweep.found)
        checked += len(sweep.states)
    assert checked >= 40
    assert found == {}, "axe-core found:\n" + describe(found)


def test_the_sweep_would_see_a_violation(make_page: Any) -> None:
    """The check itself works: a control without a name on a real page is found."""
    page: Page = make_page(WIDE)
    page.goto("/signin")
    assert violations(page) == []
    page.evaluate(
        "document.querySelector('main').append(Object.assign(document.createElement('button')))"
    )
    assert [v["id"] for v in violations(page)] == ["button-name"]
