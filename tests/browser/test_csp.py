"""The Content-Security-Policy (no inline script or style) costs nothing in the
browser: the main pages, staff and portal, raise 0 violations and still work —
the recipient picker, confirm dialogs, local times, live updates, the API docs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import ConsoleMessage, Page, expect

from huddle.accounts import links
from huddle.accounts.models import LinkPurpose, User
from huddle.messaging.access import get_participation
from huddle.messaging.actions import reply
from tests.browser.helpers import ADMIN_EMAIL, sign_in
from tests.browser.messaging_steps import LEO, PRIYA, pick_recipient, start_new_message, write
from tests.browser.portal_steps import JORDAN, portal_compose, portal_sign_in

pytestmark = pytest.mark.browser

# Reports every violation to the test, across navigations; Playwright's init
# scripts are not subject to the page's policy.
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watched:
    """A page and every CSP violation it reported, by event and on the console."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.violations: list[str] = []
        self.visited: list[str] = []
        page.expose_function("reportViolation", self._report)
        page.add_init_script(LISTEN)
        page.on("console", self._console)

    def _report(self, text: str) -> None:
        self.violations.append(text)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def visit(self, path: str, *, page_only: bool = False) -> None:
        """Open `path` and wait for it to load; with `page_only`, a route that is
        not a page for GET (405: a form's target) is passed over."""
        if page_only and self.page.request.get(path, max_redirects=0).status == 405:
            return
        response = self.page.goto(path)
        assert response is not None and response.status == 200, (path, response)
        self.page.wait_for_load_state("load")
        self.visited.append(path)

    def assert_clean(self) -> None:
        assert self.violations == [], self.violations
        assert self.page.js_errors == []  # type: ignore[attr-defined]


@pytest.fixture
def watched(make_page: Callable[[], Page]) -> Callable[[], Watched]:
    return lambda: Watched(make_page())


def plain_routes(prefix: str) -> list[str]:
    """Pages of the URL conf under `prefix` that take no parameter (new pages
    added later are swept too)."""

    def walk(patterns: list[Any], base: str) -> list[str]:
        found: list[str] = []
        for entry in patterns:
            if isinstance(entry, URLResolver):
                found += walk(entry.url_patterns, base + str(entry.pattern))
            elif isinstance(entry, URLPattern) and "<" not in str(entry.pattern):
                found.append("/" + base + str(entry.pattern))
        return found

    skip = ("/api/", "/healthz", "/signin", "/signout", "/portal/signin", "/portal/signout")
    return sorted(
        p
        for p in walk(get_resolver().url_patterns, "")
        if p.startswith(prefix) and not p.startswith(skip) and not p.endswith("signout")
    )


def test_staff_pages_raise_no_csp_violation_and_still_work(
    watched: Callable[[], Watched],
) -> None:
    priya = watched()
    sign_in(priya.page, PRIYA)
    priya.visit("/messages/")
    priya.visit("/messages/?view=clients")
    priya.visit("/profile/notifications")

    # The recipient picker (compose.js) works and sends.
    priya.visit("/messages/")
    start_new_message(priya.page)
    pick_recipient(priya.page, "Leo", "Leo Martin")
    write(priya.page, "CSP check", "Sent under the policy")
    priya.page.get_by_role("button", name="Send Message").click()
    expect(priya.page.get_by_role("heading", name="CSP check", level=1)).to_be_visible()

    # Local times: the server's UTC "Nov 27, 2026, 05:10" became the reader's own
    # (app.js), which leaves the year out.
    stamp = priya.page.locator(".message time").first
    expect(stamp).not_to_have_text(re.compile(r"\d{4}"))

    # Live updates: Leo's reply appears without a reload.
    leo = User.objects.get(email=LEO)
    thread_id = int(priya.page.url.rstrip("/").rsplit("/", 1)[1])
    expect(priya.page.locator("html[data-live=open]")).to_be_attached()
    reply(author=leo, participation=get_participation(leo, thread_id), body="Live, no reload")
    timeline = priya.page.get_by_role("list", name="Messages")
    expect(timeline.get_by_text("Live, no reload")).to_be_visible(timeout=10_000)

    # Edit opens in place (thread.js); Archive asks first (app.js's dialog).
    priya.page.get_by_role("button", name="Edit").click()
    expect(priya.page.get_by_label("Thread header")).to_be_visible()
    priya.page.get_by_role("button", name="Archive").click()
    dialog = priya.page.get_by_role("alertdialog", name="Archive this thread?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Archive").click()
    expect(priya.page.get_by_text("The thread was archived.")).to_be_visible()
    priya.assert_clean()

    admin = watched()
    sign_in(admin.page, ADMIN_EMAIL)
    pages = plain_routes("/")
    # The emailed-link pages need a link's token: they are opened with one below.
    emailed = {reverse("password_link"), reverse("password_link_use")}
    for path in [p for p in pages if not p.startswith("/portal/") and p not in emailed]:
        admin.visit(path, page_only=True)
    admin.visit("/messages/new?view=clients")
    admin.assert_clean()
    assert {"/settings/secure-messaging", "/settings/staff/", "/messages/new"} <= set(admin.visited)

    # A reset link, opened as its recipient does: the choose-password page.
    token = links.issue(user=User.objects.get(email=PRIYA), purpose=LinkPurpose.RESET, send=False)
    emailed_to = watched()
    emailed_to.visit(f"{reverse('password_link')}?token={token}")
    assert emailed_to.page.url.endswith(reverse("password_link_use"))
    expect(emailed_to.page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    emailed_to.assert_clean()


def test_portal_pages_raise_no_csp_violation_and_still_work(
    watched: Callable[[], Watched],
) -> None:
    jordan = watched()
    portal_sign_in(jordan.page, JORDAN)
    for path in plain_routes("/portal/"):
        jordan.visit(path, page_only=True)

    jordan.visit("/portal/")
    portal_compose(jordan.page, "Billing", "Receipt", "Could I have a receipt?")
    jordan.page.get_by_role("button", name="Send Message").click()
    expect(jordan.page.get_by_role("heading", name="Receipt", level=1)).to_be_visible()
    jordan.page.get_by_role("button", name="Delete").click()
    expect(jordan.page.get_by_role("alertdialog", name="Delete this thread?")).to_be_visible()
    jordan.assert_clean()
    assert {"/portal/", "/portal/new", "/portal/notifications"} <= set(jordan.visited)


def test_the_api_docs_render_under_the_policy(watched: Callable[[], Watched]) -> None:
    docs = watched()
    docs.visit("/api/v1/docs")
    expect(docs.page.get_by_text("Huddle API").first).to_be_visible()
    expect(docs.page.locator(".opblock").first).to_be_visible()
    docs.assert_clean()
