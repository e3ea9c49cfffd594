"""Stored XSS, in a real browser: every payload of xss_payloads.py is stored
through the app's own actions — as thread subjects, message bodies, header
edits, staff names and client names — and then every page that shows them is
opened in Chromium, staff side and client portal. No script runs, no dialog
opens, no request leaves for another host, nothing in the DOM looks injected,
and each payload reads as the text that was typed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Dialog, Page, Route, expect

from huddle.accounts.actions import create_staff
from huddle.accounts.links import first_password
from huddle.accounts.models import User
from huddle.clients.actions import create_client
from huddle.core.text import strip_invisible
from huddle.demo.practice import ADMIN, DEMO_PASSWORD
from huddle.messaging import actions, checks
from huddle.messaging.access import get_participation
from huddle.messaging.models import Thread
from tests.browser.conftest import browser, demo, make_page  # noqa: F401 - their fixtures
from tests.browser.helpers import sign_in
from tests.browser.portal_steps import portal_sign_in
from tests.security.xss_payloads import EVIL, INJECTED_JS, PAYLOADS

PRIYA = "priya@riverside.example"
ATTRIBUTE_BREAKOUT = '" autofocus onfocus="window.__xss=1" x="'
TITLE_BREAKOUT = "</title><script>window.__xss=1</script>"
SETTLED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def flat(text: str) -> str:
    """Text as compared: names and subjects are stored without invisible
    characters (core.text), so they are left out on both sides."""
    return " ".join(strip_invisible(text).split())


def pairs(items: list[str]) -> list[str]:
    """Two payloads per subject (at most 200 characters), so one inbox page shows all."""
    return [" | ".join(items[i : i + 2]) for i in range(0, len(items), 2)]


@dataclass
class Stored:
    staff_thread: Thread  # every payload as a reply and as a header edit
    client_thread: Thread  # the same, on the portal client's thread
    breakout_staff: User  # named ATTRIBUTE_BREAKOUT, shown in its edit page's fields
    portal_email: str


def store_payloads() -> Stored:
    """Through the actions every page and API call goes through."""
    admin = User.objects.get(email=ADMIN[1])
    priya = User.objects.get(email=PRIYA)
    downtown = priya.locations.get().pk
    staff = [
        create_staff(
            actor=admin,
            name=payload,
            email=f"xss{i}@riverside.example",
            roles=["clinician"],
            location_ids=[downtown],
            invite=False,
        )
        for i, payload in enumerate(PAYLOADS)
    ]
    clients = [
        create_client(
            actor=admin,
            name=payload,
            email=f"xss{i}@client.example",
            clinician_ids=[priya.pk],
            portal_enabled=True,
            invite=False,
        )
        for i, payload in enumerate(PAYLOADS)
    ]
    # The first client chose a password (their own step, through their invitation).
    clients[0].user = first_password(user=clients[0].user, password=DEMO_PASSWORD)
    # The Practice inbox: one thread per pair of payloads, from payload-named staff.
    for i, subject in enumerate(pairs(PAYLOADS)):
        actions.start_thread(
            sender=staff[2 * i], user_ids=[priya.pk], subject=subject, body=subject
        )
    staff_thread = actions.start_thread(
        sender=priya, user_ids=[admin.pk, *(s.pk for s in staff)], subject="Seed", body="Seed"
    )
    # The Clients view and the portal: the first client's threads.
    portal = clients[0]
    for subject in pairs(PAYLOADS):
        actions.start_client_thread(
            sender=portal.user, client=portal, audience="clinical", subject=subject, body=subject
        )
    client_thread = actions.start_client_thread(
        sender=portal.user, client=portal, audience="clinical", subject="Seed", body="Seed"
    )
    for author, payload in zip(staff, PAYLOADS, strict=True):
        place = get_participation(author, staff_thread.pk)
        actions.reply(author=author, participation=place, body=payload)
        # A payload that equals the one before once its invisible characters are
        # dropped (core.text) would be no change of header.
        changes = checks.check_subject(payload) != Thread.objects.get(pk=staff_thread.pk).subject
        if changes:
            actions.edit_header(editor=author, participation=place, subject=payload)
        mine = get_participation(priya, client_thread.pk)
        actions.reply(author=priya, participation=mine, body=payload)
        if changes:
            actions.edit_header(editor=priya, participation=mine, subject=payload)
    # Last, the headers both pages show in <title>, <h1> and the edit field's value.
    place = get_participation(priya, staff_thread.pk)
    actions.edit_header(editor=priya, participation=place, subject=ATTRIBUTE_BREAKOUT)
    mine = get_participation(priya, client_thread.pk)
    actions.edit_header(editor=priya, participation=mine, subject=TITLE_BREAKOUT)
    breakout = next(s for s in staff if s.name == ATTRIBUTE_BREAKOUT)
    return Stored(staff_thread, client_thread, breakout, portal.user.email)


class Watch:
    """What a page must never do: run script, open a dialog, reach another host."""

    def __init__(self, page: Page, server: str) -> None:
        self.page = page
        self.server = urlsplit(server).netloc
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        page.on("dialog", self.on_dialog)
        page.context.route("**/*", self.on_request)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc != self.server:
            self.foreign.append(url)
            route.abort()
        else:
            route.continue_()

    def open(self, path: str, expected: list[str]) -> list[str]:
        """Open `path`; the problems found there (empty when all is well)."""
        page = self.page
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
        page.evaluate(SETTLED_JS)
        problems = [f"{path}: injected {what}" for what in page.evaluate(INJECTED_JS)]
        if page.evaluate("window.__xss") is not None:
            problems.append(f"{path}: a payload ran")
        text = flat(page.evaluate("document.documentElement.textContent"))
        problems += [f"{path}: not shown as text: {p!r}" for p in expected if flat(p) not in text]
        return problems


@pytest.mark.browser
def test_the_watch_sees_a_payload_that_runs(make_page: Any, live_server: Any) -> None:  # noqa: F811
    """The detectors themselves: markup put into a page as HTML is caught."""
    page: Page = make_page()
    watch = Watch(page, live_server.url)
    page.set_content(
        '<main><img src=x onerror="window.__xss=1"><script>alert(1)</script>'
        f'<img src="http://{EVIL}/c.png"></main>'
    )
    expect(page.locator("main")).to_be_attached()
    page.evaluate(SETTLED_JS)
    assert page.evaluate("window.__xss") == 1
    assert watch.dialogs == ["1"]
    assert watch.foreign == [f"http://{EVIL}/c.png"]
    assert "img" in page.evaluate(INJECTED_JS)


@pytest.mark.browser
def test_stored_payloads_render_as_text_everywhere(
    make_page: Any,  # noqa: F811
    live_server: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert len(PAYLOADS) >= 50
    stored = store_payloads()
    staff_thread = f"/messages/{stored.staff_thread.pk}"
    client_thread = stored.client_thread.pk
    every = PAYLOADS
    problems: list[str] = []
    pages = 0

    priya = Watch(make_page(), live_server.url)
    sign_in(priya.page, PRIYA)
    for path in (
        "/messages/",
        "/messages/?view=clients",
        f"{staff_thread}?edit=1",
        f"/messages/{client_thread}?edit=1",
        "/messages/new",
        "/messages/new?view=clients",
    ):
        problems += priya.open(path, every)
        pages += 1
    # The recipient picker draws its suggestions with script: type to show them.
    priya.open("/messages/new", [])
    priya.page.get_by_role("combobox", name="To").fill("script")
    expect(priya.page.get_by_role("option").first).to_be_visible()
    problems += [f"picker: injected {w}" for w in priya.page.evaluate(INJECTED_JS)]

    admin = Watch(make_page(), live_server.url)
    sign_in(admin.page, ADMIN[1])
    for path, expected in (
        ("/settings/staff/", every),
        ("/settings/clients/", every),
        (f"/settings/staff/{stored.breakout_staff.pk}", [stored.breakout_staff.name]),
        (staff_thread, every),
        # Names of the people who acted, newest first: which ones fit the first
        # page depends on what the log records, so only injection is checked.
        ("/settings/audit", []),
    ):
        problems += admin.open(path, expected)
        pages += 1

    client = Watch(make_page(), live_server.url)
    portal_sign_in(client.page, stored.portal_email)
    for path in ("/portal/", f"/portal/{client_thread}"):
        problems += client.open(path, every)
        pages += 1

    watches = (priya, admin, client)
    dialogs = [d for w in watches for d in w.dialogs]
    foreign = [u for w in watches for u in w.foreign]
    errors = [e for w in watches for e in w.page.js_errors]  # type: ignore[attr-defined]
    assert problems == []
    assert dialogs == []
    assert foreign == []
    assert errors == []
    with capsys.disabled():
        print(
            f"\nStored XSS: {len(PAYLOADS)} payloads × {pages} pages, 0 scripts, "  # noqa: RUF001
            f"{len(dialogs)} dialogs, {len(foreign)} foreign requests"
        )
