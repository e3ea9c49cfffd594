from __future__ import annotations

from typing import Any

from django.apps import AppConfig

SIGNED_IN = "huddle.audit.signed_in"


class AuditConfig(AppConfig):
    name = "huddle.audit"

    def ready(self) -> None:
        connect_signals()


def connect_signals() -> None:
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_signed_in, dispatch_uid=SIGNED_IN)


def _signed_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A session started: after the password, or after the authentication code for
    someone with two-factor sign-in (every sign-in goes through Django's `login`)."""
    from huddle.audit.actions import record
    from huddle.audit.models import Action

    record(Action.SIGN_IN_SUCCEEDED, actor=user)
