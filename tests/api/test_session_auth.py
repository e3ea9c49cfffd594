"""The API through the browser session: reads need only the session; unsafe
methods need the CSRF token (API.md, Conventions)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client as HttpClient

from huddle.accounts.actions import issue_token
from huddle.practices.models import Location, Practice
from tests.api.helpers import error_of, snapshot
from tests.conftest import World


@pytest.fixture
def browser(world: World) -> HttpClient:
    """A browser that opened the sign-in page (so it holds a CSRF cookie), then
    signed in as the practice admin; CSRF checks enforced as in production."""
    http = HttpClient(enforce_csrf_checks=True)
    assert http.get("/signin").status_code == 200
    assert http.cookies["csrftoken"].value
    http.force_login(world.admin)
    return http


def csrf_token(http: HttpClient) -> str:
    return http.cookies["csrftoken"].value


def patch(http: HttpClient, path: str, body: object, **headers: str) -> Any:
    return http.patch(
        f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_session_reads_without_a_csrf_token(world: World, browser: HttpClient) -> None:
    response = browser.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["id"] == str(world.admin.pk)


def test_a_session_patch_without_the_csrf_token_is_403(world: World, browser: HttpClient) -> None:
    before = snapshot()

    response = patch(browser, "/practice/settings", {"auto_archive_days": 14})

    error_of(response, 403, "csrf_failed")
    assert snapshot() == before
    assert Practice.objects.get(pk=world.practice.pk).auto_archive_days == 30


def test_a_session_patch_with_a_wrong_csrf_token_is_403(world: World, browser: HttpClient) -> None:
    before = snapshot()

    response = patch(browser, "/practice/settings", {"auto_archive_days": 14}, X_CSRFToken="x" * 64)

    error_of(response, 403, "csrf_failed")
    assert snapshot() == before


def test_a_session_patch_with_the_csrf_header_succeeds(world: World, browser: HttpClient) -> None:
    response = patch(
        browser, "/practice/settings", {"auto_archive_days": 14}, X_CSRFToken=csrf_token(browser)
    )

    assert response.status_code == 200
    assert response.json()["auto_archive_days"] == 14
    assert Practice.objects.get(pk=world.practice.pk).auto_archive_days == 14


def test_a_session_post_needs_the_csrf_token_too(world: World, browser: HttpClient) -> None:
    refused = browser.post(
        "/api/v1/locations", json.dumps({"name": "Northside"}), content_type="application/json"
    )
    error_of(refused, 403, "csrf_failed")
    assert not Location.objects.filter(name="Northside").exists()

    accepted = browser.post(
        "/api/v1/locations",
        json.dumps({"name": "Northside"}),
        content_type="application/json",
        headers={"X-CSRFToken": csrf_token(browser)},
    )

    assert accepted.status_code == 201
    assert Location.objects.filter(practice=world.practice, name="Northside").exists()


def test_a_bearer_token_needs_no_csrf_token(world: World) -> None:
    raw, _ = issue_token(user=world.admin)
    http = HttpClient(enforce_csrf_checks=True)

    response = patch(
        http, "/practice/settings", {"auto_archive_days": 60}, Authorization=f"Bearer {raw}"
    )

    assert response.status_code == 200
    assert Practice.objects.get(pk=world.practice.pk).auto_archive_days == 60


def test_a_session_of_a_non_admin_gets_403_not_a_csrf_error(world: World) -> None:
    http = HttpClient(enforce_csrf_checks=True)
    http.get("/signin")
    http.force_login(world.biller)
    before = snapshot()

    response = patch(
        http, "/practice/settings", {"auto_archive_days": 14}, X_CSRFToken=csrf_token(http)
    )

    error_of(response, 403, "forbidden")
    assert snapshot() == before
