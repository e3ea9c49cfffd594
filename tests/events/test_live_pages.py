"""Live updates in the browser (F9): two people in two browser contexts, on two
server processes joined by Redis. What one sends appears on the other's screen
without a reload: the header count, the unread dot and the thread at the top of
the inbox, the new message at the end of an open thread, a header change."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from huddle.accounts.models import User
from huddle.demo.practice import DEMO_PASSWORD, build_demo
from huddle.messaging.actions import start_thread
from tests.events.servers import Server

# Playwright's sync API runs an event loop in this thread; Django would refuse
# ORM calls from the test body without this (as in tests/browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PRIYA = "priya@riverside.example"
LEO = "leo@riverside.example"
LIVE_WITHIN_MS = 5_000  # the goal is a second; the bound leaves room for a busy machine


def in_own_thread(scenario: Callable[[Browser], None]) -> None:
    """Run `scenario` with a Chromium of its own, in a thread of its own: the
    browser tests' session-wide Playwright may be running in this thread, and
    two sync Playwrights cannot share one."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's Chromium is not installed at /usr/bin/chromium")

    def run() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                scenario(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result(timeout=180)


def signed_in(browser: Browser, server: Server, email: str) -> Page:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto("/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("summary.user-button")).to_be_visible()
    return page


def live(page: Page) -> None:
    """Connected to the event stream, and marked so a reload would show."""
    expect(page.locator("html[data-live=open]")).to_be_attached()
    page.evaluate("window.notReloaded = true")


def not_reloaded(page: Page) -> bool:
    return bool(page.evaluate("window.notReloaded === true"))


def badge(page: Page, count: int) -> None:
    link = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=f"Messages, {count} new", exact=True
    )
    expect(link).to_be_visible(timeout=LIVE_WITHIN_MS)


def test_what_one_person_sends_appears_live_for_the_other(
    two_servers: tuple[Server, Server],
) -> None:
    first, second = two_servers
    build_demo()
    priya_user = User.objects.get(email=PRIYA)
    leo_user = User.objects.get(email=LEO)
    thread = start_thread(
        sender=priya_user, user_ids=[leo_user.pk], subject="Live check", body="First"
    )

    def scenario(browser: Browser) -> None:
        leo = signed_in(browser, second, LEO)
        leo.goto("/messages/?view=practice")
        live(leo)
        label = leo.locator(".messages-link").get_attribute("aria-label") or ""
        count = int(label.removeprefix("Messages, ").removesuffix(" new"))
        inbox = leo.get_by_role("region", name="Inbox", exact=True)

        # Priya replies from her own browser, on the other server process.
        priya = signed_in(browser, first, PRIYA)
        priya.goto(f"/messages/{thread.pk}")
        live(priya)
        priya.get_by_label("Reply").fill("Are you free at noon?")
        priya.get_by_role("button", name="Send reply").click()

        # Leo's header count, the toggle, the dot and the row at the top: no reload.
        badge(leo, count + 1)
        top = inbox.get_by_role("listitem").first
        expect(top).to_contain_text("Live check", timeout=LIVE_WITHIN_MS)
        expect(top).to_contain_text("Priya Raman: Are you free at noon?")
        expect(top.get_by_role("img", name="unread")).to_be_visible()
        assert not_reloaded(leo)

        # Leo opens it; Priya writes again and renames it while he reads.
        top.get_by_role("link").click()
        expect(leo.get_by_role("heading", name="Live check")).to_be_visible()
        live(leo)
        badge(leo, count - 1)  # the thread's two messages are read
        priya.get_by_label("Reply").fill("Or at one?")
        priya.get_by_role("button", name="Send reply").click()
        timeline = leo.get_by_role("list", name="Messages")
        expect(timeline.get_by_role("listitem").last).to_contain_text(
            "Or at one?", timeout=LIVE_WITHIN_MS
        )
        priya.get_by_role("button", name="Edit").click()
        priya.get_by_label("Thread header").fill("Lunch meeting")
        priya.get_by_role("button", name="Save Changes").click()
        expect(leo.get_by_role("heading", name="Lunch meeting")).to_be_visible(
            timeout=LIVE_WITHIN_MS
        )
        expect(leo.get_by_role("note")).to_contain_text(
            "Priya Raman changed the thread header from “Live check” to “Lunch meeting”"
        )
        badge(leo, count - 1)  # read as it arrived: he has it open
        assert not_reloaded(leo)
        assert leo.evaluate("document.title").startswith("Lunch meeting")

    in_own_thread(scenario)
