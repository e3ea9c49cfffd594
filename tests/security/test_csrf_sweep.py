"""The CSRF sweep: every route of the URL conf, pages and API, called with every
unsafe method and no CSRF token — as a signed-in staff member, a signed-in client
and someone signed out — through `Client(enforce_csrf_checks=True)`, the way a
forged form from another site arrives. None is accepted: the CSRF check refuses
it (403), or the route takes no unsafe method at all (405, the API's GET-only
routes). A route that does neither must be listed in CSRF_EXEMPT with its reason.
Nothing stored changes and nobody is signed out."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.test import Client as HttpClient

from huddle.accounts.models import User
from huddle.messaging.actions import start_client_thread, start_thread
from huddle.records.exports import request_export
from huddle.records.retention import place_hold
from tests.conftest import World
from tests.security.breakin import (
    UNSAFE,
    Route,
    all_routes,
    api_body,
    changed,
    page_form,
    snapshot,
)

# Routes that take an unsafe method without the CSRF token, and why that is safe.
CSRF_EXEMPT: dict[str, str] = {
    "POST /api/v1/auth/token": (
        "trades an email and password for a bearer token in the response body; it reads "
        "no cookie and sets none, and another site cannot read the answer (no CORS)"
    ),
}

Call = Callable[[str, str, Route], Any]


class CsrfLog(logging.Handler):
    """Counts the refusals Django's CSRF check logs (django.security.csrf)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def caller(user: User | None) -> Call:
    http = HttpClient(enforce_csrf_checks=True)
    if user is not None:
        http.force_login(user)

    def call(method: str, url: str, route: Route) -> Any:
        if route.is_api:
            body = api_body(method, route, required=False)
            data = json.dumps(body) if body is not None else ""
            return http.generic(method, url, data, content_type="application/json")
        if method == "POST":
            return http.post(url, page_form())
        return http.generic(method, url, "", content_type="application/x-www-form-urlencoded")

    call.http = http  # type: ignore[attr-defined]
    return call


def expectation(route: Route, method: str) -> str:
    """ "csrf": the CSRF check must refuse it; "method": the route does not take the
    method at all; "exempt": it runs without the token, so it must be in CSRF_EXEMPT."""
    if route.is_api:
        if method not in (route.api_methods or ()):
            return "method"
        return "exempt" if method in route.api_open else "csrf"
    return "exempt" if getattr(route.view, "csrf_exempt", False) else "csrf"


def refusal(kind: str, route: Route, who: str, response: Any, csrf_logged: int) -> str | None:
    """How the request was refused ("csrf", "method", "signed out", "exempt"), or None
    when it was accepted."""
    status = response.status_code
    said_csrf = not route.is_api or response.json()["error"]["code"] == "csrf_failed"
    if kind == "csrf" and status == 403 and csrf_logged == 1 and said_csrf:
        return "csrf"
    if kind == "csrf" and route.is_api and who == "signed out" and status == 401:
        return "signed out"  # no session to ride on: the API asks to sign in
    if kind == "method" and status == 405 and csrf_logged == 0:
        return "method"
    if kind == "exempt" and settings.SESSION_COOKIE_NAME not in response.cookies:
        return "exempt"
    return None


def test_no_unsafe_request_without_a_csrf_token_is_accepted(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    staff_thread = start_thread(
        sender=world.admin, user_ids=[world.clinician.pk], subject="Rota", body="Monday?"
    )
    client_thread = start_client_thread(
        sender=world.client.user, client=world.client, audience="clinical", subject="Hi", body="Hi"
    )
    # Ids each caller could really act on, so only the missing token stands in the way.
    common = {
        "staff_id": world.scheduler.pk,
        "client_id": world.client.pk,
        "location_id": world.downtown.pk,
        "attachment_id": 1,  # its routes take GET only: unsafe methods answer 405
        # records: an export and a hold the admin could really act on
        "export_id": request_export(user=world.admin, reason="Export for the CSRF sweep").pk,
        "hold_id": place_hold(
            user=world.admin, scope="practice", reason="Hold for the CSRF sweep"
        ).pk,
    }
    # conversation: a message of each thread; drafts and scheduled items by any id.
    common.update(draft_id=1, item_id=1)
    staff_ids = {"thread_id": staff_thread.pk, "entry_id": staff_thread.last_message_id or 0}
    client_ids = {"thread_id": client_thread.pk, "entry_id": client_thread.last_message_id or 0}
    staff_ids["message_id"] = staff_ids["entry_id"]
    client_ids["message_id"] = client_ids["entry_id"]
    callers: dict[str, tuple[Call, dict[str, int]]] = {
        "staff": (caller(world.admin), {**common, **staff_ids}),
        "client": (caller(world.client.user), {**common, **client_ids}),
        "signed out": (caller(None), {**common, **staff_ids}),
    }
    routes = all_routes()
    csrf_log = CsrfLog()
    logging.getLogger("django.security.csrf").addHandler(csrf_log)
    before = snapshot()
    counts = {"csrf": 0, "method": 0, "signed out": 0, "exempt": 0}
    accepted: list[str] = []
    unlisted: set[str] = set()
    try:
        for route in routes:
            for method in UNSAFE:
                kind = expectation(route, method)
                name = f"{method} {route}"
                if kind == "exempt" and name not in CSRF_EXEMPT:
                    unlisted.add(name)
                for who, (call, ids) in callers.items():
                    logged = csrf_log.count
                    response = call(method, route.url(ids), route)
                    answer = refusal(kind, route, who, response, csrf_log.count - logged)
                    if answer is None:
                        accepted.append(f"{name} as {who}: {response.status_code}")
                    else:
                        counts[answer] += 1
    finally:
        logging.getLogger("django.security.csrf").removeHandler(csrf_log)
    after = snapshot()

    assert not unlisted, f"these run without a CSRF token; list them with a reason: {unlisted}"
    assert accepted == []
    assert changed(before, after) == [], "a request without a CSRF token changed stored data"
    # Sign-out without the token did not sign anyone out.
    staff_http = callers["staff"][0].http  # type: ignore[attr-defined]
    assert staff_http.get("/messages/").status_code == 200
    client_http = callers["client"][0].http  # type: ignore[attr-defined]
    assert client_http.get("/portal/").status_code == 200
    assert counts["csrf"] > 200
    refused = counts["csrf"] + counts["method"] + counts["signed out"]
    with capsys.disabled():
        print(
            f"\nCSRF sweep: {refused} unsafe requests without a token on {len(routes)} routes "
            f"(staff, client, signed out), 0 accepted: {counts['csrf']} refused by the CSRF "
            f"check (403), {counts['method']} on GET-only API routes (405), "
            f"{counts['signed out']} signed-out API calls (401); "
            f"{len(CSRF_EXEMPT)} route exempt by design"
        )
