"""Records in a real browser: a Practice Admin starts the practice export, the
progress bar follows the worker and the download appears; a clinician breaks the
glass on a client who is not theirs and answers their thread, which then shows
the notice. Screenshots at desktop and phone width in artifacts/screenshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from huddle.records import worker
from huddle.records.models import PracticeExport
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.helpers import ADMIN_EMAIL, open_nav, sign_in
from tests.browser.test_screenshots import shoot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_admin_exports_the_practice_with_a_progress_bar(
    make_page: Any,
    screenshots: Path,
    size: str,
    viewport: ViewportSize,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.RECORDS_EXPORT_DIR = tmp_path / "exports"
    page: Page = make_page(viewport)
    sign_in(page, ADMIN_EMAIL)
    open_nav(page, "Records")
    expect(page.get_by_text("Client: Casey Morgan")).to_be_visible()  # the demo's legal hold
    shoot(page, screenshots, "70-records", size)

    page.get_by_label("Reason for the export").fill("short")
    page.get_by_role("button", name="Start the export").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 10 characters")
    page.get_by_label("Reason for the export").fill("Moving our records to a new system")
    page.get_by_role("button", name="Start the export").click()
    bar = page.locator("progress#export-progress-bar")
    expect(bar).to_be_visible()
    shoot(page, screenshots, "71-records-export-running", size)

    assert worker.step() is True  # the background worker's step, here in the test
    download = page.get_by_role("link", name="Download")
    expect(download).to_be_visible(timeout=15_000)  # records.js notices and reloads
    assert PracticeExport.objects.get().status == "done"
    shoot(page, screenshots, "72-records-export-done", size)
    assert page.js_errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("size", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_clinician_breaks_the_glass_and_the_thread_shows_it(
    make_page: Any, screenshots: Path, size: str, viewport: ViewportSize
) -> None:
    page: Page = make_page(viewport)
    sign_in(page, "priya@riverside.example")
    open_nav(page, "Emergency access")
    page.get_by_label("Client's name").fill("Casey")
    page.get_by_role("button", name="Find the client").click()
    page.get_by_role("link", name="Casey Morgan").click()
    shoot(page, screenshots, "73-emergency-access-form", size)

    page.get_by_label("Why do you need this client's threads now?").fill(
        "Casey called in crisis and Marcus is unreachable"
    )
    page.get_by_role("button", name="Open the client's threads").click()
    expect(page.get_by_role("note")).to_contain_text("Emergency access is open until")
    shoot(page, screenshots, "74-emergency-access-open", size)

    page.locator(".plain-list a").first.click()
    notice = page.locator(".emergency-notice")
    expect(notice).to_contain_text("Priya Raman opened this thread (emergency access)")
    page.get_by_label("Reply").fill("Hi Casey, I am covering for Marcus today.")
    page.get_by_role("button", name="Send reply").click()
    # The reply is the thread's newest message (its Edit form holds the text too).
    bodies = page.get_by_role("list", name="Messages").locator(":scope > .message > .message-body")
    expect(bodies.last).to_have_text("Hi Casey, I am covering for Marcus today.")
    expect(notice).to_contain_text("Priya Raman opened this thread (emergency access)")
    shoot(page, screenshots, "75-emergency-thread", size)
    assert page.js_errors == []  # type: ignore[attr-defined]
