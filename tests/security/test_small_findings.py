"""Issue 19, finding 10: lower-case method names, invalid-Host probes in the
log, and /.well-known/security.txt."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from django.test import Client as HttpClient

from tests.security.test_asgi_body_limits import Sender, scope


@pytest.mark.parametrize("path", ["/signin", "/api/v1/me"])
def test_a_lower_case_method_is_not_a_method(db: None, path: str) -> None:
    """Before: `get /signin` was served as GET."""
    response = HttpClient().generic("get", path)
    assert response.status_code == 501
    assert HttpClient().generic("GET", path).status_code in (200, 401)


def test_a_lower_case_method_is_refused_in_the_asgi_entry_too() -> None:
    from huddle.asgi import application

    sender = Sender(0)
    request = {**scope("/signin"), "method": "post"}
    asyncio.run(asyncio.wait_for(application(request, sender.receive, sender.send), 30))
    assert sender.status == 501


def test_an_invalid_host_is_one_log_line_without_a_traceback(
    db: None, caplog: pytest.LogCaptureFixture, capsys: Any
) -> None:
    """Before: every probe with a foreign Host logged a whole traceback."""
    logger = logging.getLogger("django.security.DisallowedHost")
    handler = logger.handlers[0]
    with caplog.at_level(logging.WARNING, logger="django.security.DisallowedHost"):
        response = HttpClient(HTTP_HOST="evil.example").get("/signin")
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    formatted = handler.format(records[0])
    assert "Traceback" not in formatted
    assert "evil.example" in formatted


def test_security_txt_says_where_to_report(db: None, settings: Any) -> None:
    settings.SECURITY_CONTACT = "mailto:security@huddle.example"
    response = HttpClient().get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Contact: mailto:security@huddle.example\n" in body
    assert "Expires: 20" in body
