from __future__ import annotations

from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test import Client


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
