"""Every answer carries the security headers, and every page and API answer
`Cache-Control: no-store` (docs/ARCHITECTURE.md, "Headers, CSP and rate limits").
The pages are read from the URL conf, so a page added later is checked too."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

from huddle.messaging.actions import start_client_thread, start_thread
from tests.conftest import World
from tests.events.conftest import bearer, stream
from tests.events.servers import start_server

ROOT = Path(__file__).resolve().parents[2]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "object-src": "'none'",
}
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every route of the URL conf, API included, as a path template."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + str(entry.pattern)


def policy_of(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parts = (p.strip().split(None, 1) for p in header.split(";") if p.strip())
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def check_headers(response: Any, path: str) -> None:
    for name, value in ALWAYS.items():
        assert response.get(name) == value, (path, name, response.get(name))
    header = response.get("Content-Security-Policy", "")
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, (path, header)
    assert policy_of(response) == POLICY, (path, header)
    assert "no-store" in response.get("Cache-Control", ""), (path, response.get("Cache-Control"))


@pytest.fixture
def ids(world: World) -> dict[str, int]:
    staff_thread = start_thread(
        sender=world.clinician, user_ids=[world.admin.pk], subject="Rota", body="Friday?"
    )
    client_thread = start_client_thread(
        sender=world.client.user,
        client=world.client,
        audience="administrative",
        subject="Invoice",
        body="A question",
    )
    return {
        "thread_id": staff_thread.pk,
        "portal_thread_id": client_thread.pk,
        "staff_id": world.clinician.pk,
        "client_id": world.client.pk,
        "location_id": world.downtown.pk,
    }


def fill(route: str, ids: dict[str, int]) -> str:
    """The route with real ids in it (the portal's threads are the client's);
    a parameter without a known value gets 1, which answers 404 — still checked."""
    portal = route.startswith("/portal/")

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "thread_id" and portal:
            name = "portal_thread_id"
        return str(ids.get(name, 1))

    return re.sub(r"<(?:\w+:)?(\w+)>", value, route).replace("^", "").replace("$", "")


def test_every_page_and_api_answer_carries_the_headers(
    world: World, ids: dict[str, int], capsys: pytest.CaptureFixture[str]
) -> None:
    staff, client = HttpClient(), HttpClient()
    staff.force_login(world.admin)
    client.force_login(world.client.user)
    answered: dict[int, int] = {}
    paths = sorted({fill(r, ids) for r in routes() if not r.startswith("/healthz")})
    for path in paths:
        who = client if path.startswith("/portal/") else staff
        response = who.get(path)
        check_headers(response, path)
        answered[response.status_code] = answered.get(response.status_code, 0) + 1

    assert answered.get(200, 0) >= 20, answered
    with capsys.disabled():
        print(f"\nsecurity headers: {len(paths)} routes, answers {sorted(answered.items())}")


def test_forms_posted_and_errors_carry_the_headers_too(world: World, api_as: Any) -> None:
    staff = HttpClient()
    staff.force_login(world.clinician)
    answers = [
        staff.post("/messages/new", {"subject": ""}),  # a form with errors, 400
        staff.get("/messages/999999999"),  # 404 page
        HttpClient().get("/messages/"),  # signed out: redirect to sign-in
        HttpClient().get("/signin"),
        api_as(world.clinician).post("/threads", {"subject": ""}),  # 400 JSON
        api_as(None).get("/me"),  # 401 JSON
        HttpClient().put("/api/v1/me"),  # 405 JSON
        HttpClient().post("/api/v1/threads", "x" * 300_000, content_type="application/json"),
    ]
    assert [a.status_code for a in answers] == [400, 404, 302, 200, 400, 401, 405, 413]
    for answer in answers:
        check_headers(answer, answer.request["PATH_INFO"])


def test_an_api_answer_with_messages_is_never_cached(world: World, api_as: Any) -> None:
    start_thread(sender=world.clinician, user_ids=[world.biller.pk], subject="S", body="B")
    response = api_as(world.biller).get("/threads?view=practice")

    assert response.status_code == 200
    assert response.json()["items"]
    assert response["Cache-Control"] == "no-store"


def test_static_files_and_healthz_may_be_cached(db: None) -> None:
    css = HttpClient().get("/static/huddle/app.css")
    health = HttpClient().get("/healthz")

    assert css.status_code == health.status_code == 200
    assert "no-store" not in css.get("Cache-Control", "")
    assert "no-store" not in health.get("Cache-Control", "")
    assert css["X-Content-Type-Options"] == "nosniff"


def test_the_api_docs_page_works_under_the_policy(db: None) -> None:
    """Swagger UI is served from this server's static files, its settings in a
    JSON data block: nothing inline, nothing from a CDN."""
    response = HttpClient().get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    check_headers(response, "/api/v1/docs")
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, flags=re.S)
    for attributes, body in scripts:
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
        assert "src=" not in attributes or not body.strip()
    assert HttpClient().get("/static/ninja/swagger-ui-init.js").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_live_event_stream_is_never_cached(world: World, tmp_path: Path) -> None:
    server = start_server(tmp_path, redis_prefix=None, name="headers")
    try:
        with stream(server, bearer(world.biller)) as reader:
            headers = reader.response.headers
            assert "no-store" in headers["cache-control"]
            assert headers["x-content-type-options"] == "nosniff"
    finally:
        server.stop()


def test_production_sends_hsts_for_a_year_with_subdomains() -> None:
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client(HTTP_HOST='h.example').get('/api/v1/openapi.json', secure=True)\n"
        "print(r.status_code, r['Strict-Transport-Security'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_HSTS_SECONDS"}}
    env.update(
        HUDDLE_ENV="production",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="h.example",
        DJANGO_SETTINGS_MODULE="huddle.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    status, hsts = result.stdout.strip().split(" ", 1)
    assert status == "200"
    max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))  # type: ignore[union-attr]
    assert max_age >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts


def test_a_views_own_policy_still_wins_over_the_header_built_once() -> None:
    """The middleware builds the shared header once; an answer that asks for its own
    policy (django-csp's per-view settings) still gets it, and the next plain
    answer the shared one again."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from huddle.core.middleware import CSPMiddleware

    answers = iter([HttpResponse("plain"), HttpResponse("own"), HttpResponse("plain again")])
    middleware = CSPMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()

    def answer() -> Any:
        request = factory.get("/")
        middleware.process_request(request)
        response = next(answers)
        if response.content == b"own":
            response._csp_update = {"img-src": ["https://images.example.org"]}  # type: ignore[attr-defined]
        return middleware.process_response(request, response)

    first, own, again = answer(), answer(), answer()
    assert policy_of(first) == POLICY
    assert "https://images.example.org" in policy_of(own)["img-src"]
    assert policy_of(again) == POLICY
