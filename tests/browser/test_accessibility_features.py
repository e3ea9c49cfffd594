"""axe-core on the pages and states of the merged features (search and inbox
filters, urgent/edits/receipts/drafts/send later, attachments, records and
emergency access, practice hours and away), staff and portal, at 1366 px and at
390 px: no violation of any impact, and each state fits the width. The states
come from the demo practice, plus a few built through the app's actions."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import FilePayload, Page, ViewportSize, expect

from huddle.accounts.models import User
from huddle.availability import actions as availability
from huddle.clients.models import Client
from huddle.messaging import actions as messaging
from huddle.messaging import drafts
from huddle.messaging.models import Audience, Thread
from huddle.records import worker
from huddle.records.emergency import open_emergency_access
from huddle.records.exports import request_export
from tests.browser.axe import describe
from tests.browser.helpers import ADMIN_EMAIL, sign_in
from tests.browser.portal_steps import JORDAN, portal_sign_in
from tests.browser.test_accessibility import NARROW, PRIYA, WIDE, Sweep

pytestmark = pytest.mark.browser

LEO = "leo@riverside.example"
CASEY = "casey.morgan@client.example"


@pytest.fixture(autouse=True)
def storage(settings: Any, tmp_path: Path) -> None:
    """Attachments and exports under the test's own folder (the demo's files too:
    autouse fixtures come before the demo is built)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "attachments"), "base_url": None},
        },
    }
    settings.RECORDS_EXPORT_DIR = tmp_path / "exports"


@pytest.fixture
def folder(screenshots: Path) -> Path:
    path = screenshots / "face-features"
    path.mkdir(exist_ok=True)
    return path


def user(email: str) -> User:
    return User.objects.get(email=email)


def thread_of(subject: str) -> int:
    return Thread.objects.get(subject=subject).pk


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), (70, 140, 190)).save(out, format="PNG")
    return out.getvalue()


def search(s: Sweep, url: str, words: str, state: str) -> None:
    s.page.goto(url)
    field = s.page.get_by_label(re.compile("Words to find"))
    field.fill(words)
    field.press("Enter")
    expect(s.page.get_by_role("region", name="Results")).to_be_visible()
    s.check(state)


def with_preview(page: Page) -> None:
    """The thread's file list, and its image preview drawn (axe checks it then)."""
    expect(page.get_by_role("list", name="Attachments").first).to_be_visible()
    expect(page.locator("img.attachment-preview")).to_have_count(1)
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.attachment-preview')]"
        ".every((i) => i.complete && i.naturalWidth > 0)"
    )


def priya_states(s: Sweep) -> None:
    page = s.page
    sign_in(page, PRIYA)
    search(s, "/search", "Room", "search-results")
    search(s, "/search", "xylophonist", "search-nothing-found")
    expect(page.get_by_role("status")).to_have_text(re.compile("Nothing found"))
    leo = user(LEO).pk
    s.visit(
        f"/messages/?view=practice&participant_id={leo}",
        "inbox-filtered",
        lambda p: expect(p.locator(".thread-row").first).to_be_visible(),
    )
    s.visit(
        f"/messages/?view=practice&unread=true&urgent=true&participant_id={leo}",
        "inbox-filtered-empty",
    )
    jordan = Client.objects.get(user__email=JORDAN).pk
    s.visit(
        f"/messages/?view=clients&client_id={jordan}&audience=clinical", "inbox-clients-filtered"
    )

    front_desk = thread_of("Front desk")
    s.visit(f"/messages/{front_desk}", "thread-urgent-sender")
    expect(page.get_by_text("Acknowledged by Olivia Reyes")).to_be_visible()
    page.locator(".seen-by summary").click()
    expect(page.locator(".seen-by ul")).to_be_visible()
    s.check("thread-seen-by")

    drafts.create_thread_draft(user=user(PRIYA), subject="Intake forms", body="The new intake")
    s.visit("/messages/new", "compose-drafts")
    expect(page.get_by_role("region", name="Your drafts")).to_be_visible()
    page.get_by_label("When").select_option("custom")
    expect(page.get_by_label("Send at (practice time)")).to_be_visible()
    s.check("compose-send-later")
    picked: list[FilePayload] = [
        {"name": "insurance card.png", "mimeType": "image/png", "buffer": png()},
        # A PDF by name, a program by content: refused, with its explanation.
        {"name": "setup.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00" * 64},
    ]
    page.get_by_label("Attach files").set_input_files(picked)
    files = page.get_by_role("list", name="Attached files").get_by_role("listitem")
    expect(files.filter(has_text="insurance card.png")).to_contain_text("uploaded")
    expect(files.filter(has_text="setup.pdf").get_by_role("alert")).to_be_visible()
    s.check("compose-files-picked")

    s.visit(
        f"/messages/{thread_of('Worksheet for our next session')}",
        "thread-files-pdf",
        lambda p: expect(p.get_by_role("list", name="Attachments")).to_be_visible(),
    )

    s.visit("/emergency-access", "emergency-search")
    page.get_by_label("Client's name").fill("Casey")
    page.get_by_role("button", name="Find the client").click()
    expect(page.get_by_role("link", name="Casey Morgan")).to_be_visible()
    s.check("emergency-search-results")
    casey = Client.objects.get(user__email=CASEY)
    s.visit(f"/emergency-access/{casey.pk}", "emergency-client")
    page.get_by_role("button", name="Open the client's threads").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    s.check("emergency-client-error")
    open_emergency_access(user=user(PRIYA), client_id=casey.pk, reason="Casey called in crisis")
    s.visit(f"/emergency-access/{casey.pk}", "emergency-open")
    s.visit(
        f"/messages/{thread_of('Question about my statement')}",
        "thread-emergency-notice",
        lambda p: expect(p.locator(".emergency-notice")).to_be_visible(),
    )

    s.visit("/profile/away", "profile-away-form")
    page.get_by_role("button", name="Save away period").click()
    expect(page.locator(".form-error")).to_be_visible()
    s.check("profile-away-errors")
    now = timezone.now()
    availability.set_away(
        actor=user(PRIYA),
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=4),
        covering_user_id=user("marcus@riverside.example").pk,
    )
    s.visit("/profile/away", "profile-away-set")
    expect(page.get_by_text("You will be away from")).to_be_visible()


def leo_states(s: Sweep) -> None:
    page = s.page
    sign_in(page, LEO)
    s.visit(f"/messages/{thread_of('Front desk')}", "thread-urgent-recipient")
    expect(page.get_by_role("button", name="Acknowledge")).to_be_visible()
    page.locator(".versions summary").click()
    expect(page.locator(".versions ol")).to_be_visible()
    s.check("thread-earlier-versions")
    s.visit(
        f"/messages/{thread_of('Question about my statement')}",
        "thread-files-image",
        with_preview,
    )


def other_staff_states(s: Sweep, make_page: Any, viewport: ViewportSize) -> None:
    grace = Sweep(make_page(viewport), s.folder, s.size)
    sign_in(grace.page, "grace@riverside.example")
    grace.visit(
        "/messages/scheduled",
        "scheduled-list",
        lambda p: expect(p.get_by_text("Supervision this week")).to_be_visible(),
    )

    elena = Sweep(make_page(viewport), s.folder, s.size)
    sign_in(elena.page, "elena@riverside.example")
    elena.visit("/profile/away", "profile-away-now")
    expect(elena.page.get_by_role("button", name="I'm back: end now")).to_be_visible()
    elena.page.get_by_role("button", name="I'm back: end now").click()
    expect(elena.page.get_by_role("alertdialog")).to_be_visible()
    elena.check("profile-away-end-confirm", full_page=False)

    marcus = Sweep(make_page(viewport), s.folder, s.size)
    sign_in(marcus.page, "marcus@riverside.example")
    marcus.visit(
        f"/messages/{thread_of('Homework from last week')}",
        "thread-away-notice",
        lambda p: expect(p.get_by_role("note").first).to_be_visible(),
    )

    admin = Sweep(make_page(viewport), s.folder, s.size)
    page = admin.page
    sign_in(page, ADMIN_EMAIL)
    admin.visit("/settings/hours", "settings-hours")
    page.get_by_label("Sunday").fill("14:00-10:00")
    page.get_by_role("button", name="Save hours").click()
    expect(page.get_by_role("alert").first).to_contain_text("ends before it starts")
    admin.check("settings-hours-error")
    admin.visit("/settings/records", "records-hold")
    expect(page.get_by_text("Client: Casey Morgan")).to_be_visible()
    request_export(user=user(ADMIN_EMAIL), reason="Moving our records to a new system")
    admin.visit("/settings/records", "records-export-running")
    expect(page.locator("progress#export-progress-bar")).to_be_visible()
    assert worker.step() is True
    admin.visit("/settings/records", "records-export-done")
    expect(page.get_by_role("link", name="Download")).to_be_visible()

    for sweep in (grace, elena, marcus, admin):
        s.found.update(sweep.found)
        s.states.extend(sweep.states)


def portal_states(s: Sweep, make_page: Any, viewport: ViewportSize) -> None:
    page = s.page
    portal_sign_in(page, JORDAN)
    search(s, "/portal/search", "thursday", "portal-search-results")
    search(s, "/portal/search", "xylophonist", "portal-search-nothing-found")
    expect(page.get_by_role("status").filter(has_text="Nothing found")).to_be_visible()

    # A reply-only client: a thread from their clinician to answer, no "+ New".
    morgan_lee = Client.objects.get(user__email="morgan.lee@client.example")
    messaging.start_client_thread(
        sender=user("aisha@riverside.example"),
        client=morgan_lee,
        audience=Audience.CLINICAL,
        subject="Before our next session",
        body="Hi Morgan, how did the breathing exercise go this week?",
    )
    morgan = Sweep(make_page(viewport), s.folder, s.size)
    portal_sign_in(morgan.page, morgan_lee.user.email)
    expect(morgan.page.get_by_text("replies only")).to_be_visible()
    expect(morgan.page.get_by_role("link", name="+ New")).to_have_count(0)
    expect(morgan.page.locator(".thread-row").first).to_be_visible()
    morgan.check("portal-reply-only-inbox")

    casey = Sweep(make_page(viewport), s.folder, s.size)
    portal_sign_in(casey.page, CASEY)
    casey.visit(
        f"/portal/{thread_of('Question about my statement')}",
        "portal-thread-files",
        with_preview,
    )

    # Closed all week: the notices and the automatic after-hours reply.
    availability.set_hours(
        actor=user(ADMIN_EMAIL),
        timezone_name="America/New_York",
        weekly={},
        after_hours_reply="Thanks for writing. We are closed now and answer on our next "
        "working day. In an emergency, call 911, or call or text 988.",
    )
    s.visit("/portal/", "portal-inbox-closed")
    expect(page.get_by_text("The practice is closed now")).to_be_visible()
    s.visit("/portal/new", "portal-compose-closed")
    expect(page.get_by_text("call or text 988").first).to_be_visible()
    client = Client.objects.get(user__email=JORDAN)
    late = messaging.start_client_thread(
        sender=client.user,
        client=client,
        audience=Audience.CLINICAL,
        subject="Late-night question",
        body="Is it normal to feel worse before better?",
    )
    s.visit(
        f"/portal/{late.pk}",
        "portal-thread-after-hours",
        lambda p: expect(
            p.get_by_role("note").filter(has_text="Thanks for writing")
        ).to_be_visible(),
    )
    priya = Sweep(make_page(viewport), s.folder, s.size)
    sign_in(priya.page, PRIYA)
    priya.visit(
        f"/messages/{late.pk}",
        "thread-after-hours-notice",
        lambda p: expect(
            p.get_by_role("note").filter(has_text="Thanks for writing")
        ).to_be_visible(),
    )
    for sweep in (morgan, casey, priya):
        s.found.update(sweep.found)
        s.states.extend(sweep.states)


@pytest.mark.parametrize(("size", "viewport"), [("1366", WIDE), ("390", NARROW)])
def test_every_feature_page_and_state_has_no_axe_violations(
    make_page: Any, folder: Path, size: str, viewport: ViewportSize
) -> None:
    found: dict[str, list[dict[str, Any]]] = {}
    checked = 0
    priya = Sweep(make_page(viewport), folder, size)
    priya_states(priya)
    leo = Sweep(make_page(viewport), folder, size)
    leo_states(leo)
    others = Sweep(make_page(viewport), folder, size)
    other_staff_states(others, make_page, viewport)
    portal = Sweep(make_page(viewport), folder, size)
    portal_states(portal, make_page, viewport)
    for sweep in (priya, leo, others, portal):
        found.update(sweep.found)
        checked += len(sweep.states)
    assert checked >= 40
    assert found == {}, "axe-core found:\n" + describe(found)
