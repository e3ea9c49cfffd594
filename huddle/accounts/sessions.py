"""Ending a person's sign-ins: used by deactivation, password changes, links
and "Sign out everywhere"."""

from __future__ import annotations

from django.db.models import F

from huddle.accounts.models import ApiToken, User


def end_sign_ins(user: User) -> None:
    """End every browser session and API token of `user` (call inside a transaction).

    Sessions end because the user's session hash changes with the generation
    (`User._get_session_auth_hash`); the event stream re-checks the same hash.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    ApiToken.objects.filter(user=user).delete()
