"""The real SMTP server of the notification tests, for urgent emails."""

from __future__ import annotations

from tests.notifications.conftest import smtp, smtp_server

__all__ = ["smtp", "smtp_server"]
