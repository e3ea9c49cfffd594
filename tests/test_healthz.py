from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import DatabaseError, OperationalError, connection
from django.test import Client

from huddle.core import health
from tests.conftest import World


@pytest.mark.django_db
def test_healthz_answers_ok_while_the_database_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    if connection.vendor == "sqlite":
        assert body["sqlite_wal_bytes"] >= 0


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not() -> None:
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError("down")
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] != "ok"
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_a_page_while_the_database_fails_is_503_and_asks_it_nothing_more(world: World) -> None:
    """The 503 page is built without the database: asking it again for the user or
    the unread badge would make a hung database cost a person one timeout more each."""
    browser = Client(raise_request_exception=False)
    browser.force_login(world.clinician)
    attempts: list[str] = []

    def fails(self: object, sql: str, params: object = None) -> None:
        attempts.append(sql)
        raise OperationalError("database is locked")

    with mock.patch("django.db.backends.utils.CursorWrapper.execute", fails):
        response = browser.get("/messages/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "may or may not have been saved" in response.content.decode()
    assert len(attempts) == 1  # the session's read; nothing after it failed


@pytest.mark.django_db
def test_health_checks_at_the_same_moment_all_answer_ok() -> None:
    """Two load balancers (or two server threads) asking at once: the second waits
    for the check under way instead of calling a healthy database unavailable."""
    callers = 8
    start = threading.Barrier(callers)
    answers: list[bool] = []

    def ask() -> None:
        start.wait()
        answers.append(health.probe_database().answered)

    threads = [threading.Thread(target=ask) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert answers == [True] * callers
