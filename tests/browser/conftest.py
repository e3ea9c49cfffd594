"""Playwright (sync API) driving Debian's Chromium against pytest-django's live
server. Each test gets a fresh database with the demo practice in it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright

from huddle.accounts.models import User
from huddle.availability.hours import DAYS
from huddle.demo.availability import set_demo_hours
from huddle.demo.practice import ADMIN, build_demo

# Playwright's sync API runs an event loop in this thread; Django would refuse
# ORM calls from the test body without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 740}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module: Playwright's event loop stops with the module,
    so later tests (the event-stream servers) run without it."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's Chromium is not installed at /usr/bin/chromium: apt-get install chromium"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# The flows do not depend on the hour CI runs them: the demo practice is open at
# every hour in the browser tests (else an after-hours reply joins each client
# thread at lunchtime, at night and at weekends). Tests of the hours set their own.
OPEN_ALL_WEEK = {day: [["00:00", "24:00"]] for day in DAYS}


@pytest.fixture
def demo(transactional_db: None) -> None:
    build_demo()
    set_demo_hours(User.objects.get(email=ADMIN[1]), weekly=OPEN_ALL_WEEK, holidays=False)


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def make_page(browser: Browser, live_server: Any, demo: None) -> Iterator[Any]:
    """`make_page(viewport)` opens a fresh browser tab (own cookies) on the live server."""
    contexts = []

    def make(viewport: ViewportSize | None = None) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, reduced_motion="reduce"
        )
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page: Any) -> Page:
    result: Page = make_page()
    return result
