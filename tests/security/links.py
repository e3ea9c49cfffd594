"""Following an emailed link as its recipient does: read it from the mail
Django sent (the locmem outbox), open it, choose a password."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client as HttpClient

LINK = re.compile(r"https?://[^/\s]+(/account/link\?token=[A-Za-z0-9_\-]+)")


def emails_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if m.to == [address]]


def link_in_email(address: str) -> str:
    """The path of the newest link emailed to `address`."""
    sent = emails_to(address)
    assert sent, f"no email to {address}"
    found = LINK.search(sent[-1].body)
    assert found, sent[-1].body
    return found.group(1)


def choose_password_from_email(http: HttpClient, address: str, password: str) -> Any:
    opened = http.get(link_in_email(address))
    assert opened.status_code == 302
    assert opened["Location"] == "/account/password"
    return http.post("/account/password", {"password": password, "again": password})
