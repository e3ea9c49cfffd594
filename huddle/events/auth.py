"""Who holds a stream, and whether they still may: the browser session or the
bearer token it was opened with, re-checked for many streams in a few statements.

These are sync functions for `sync_to_async`; each closes or keeps its database
connection by the usual rules (CONN_MAX_AGE) when done, so an idle stream holds
no connection.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps
from importlib import import_module
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connections
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY

from huddle.accounts.middleware import LAST_SEEN_KEY
from huddle.accounts.models import ApiToken, User, hash_token

P = ParamSpec("P")
R = TypeVar("R")

CHUNK = 500  # ids per IN (...) list, well under every database's limit


def _close_old_connections() -> None:
    """As Django's request_started/request_finished signals do, but never inside
    a transaction (a test's, or a caller's)."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def brief_db_call(fn: Callable[P, R]) -> Callable[P, R]:
    """Run `fn` like a request does: drop a broken or expired connection before
    and after, so an idle stream never holds one."""

    @wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        _close_old_connections()
        try:
            return fn(*args, **kwargs)
        finally:
            _close_old_connections()

    return run


@dataclass(frozen=True)
class Credential:
    """What a stream was opened with: exactly one of a token row or a session key."""

    user_id: int
    token_id: int | None = None
    session_key: str | None = None


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def _load_sessions(keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Live sessions by key: one statement per CHUNK keys with the database engine."""
    store = _session_store()
    found: dict[str, dict[str, Any]] = {}
    if not hasattr(store, "get_model_class"):
        for key in keys:
            data = store(key).load()
            if data:
                found[key] = data
        return found
    model = store.get_model_class()
    decoder = store()
    now = timezone.now()
    for part in _chunks(keys):
        for row in model.objects.filter(session_key__in=part, expire_date__gt=now):
            found[row.session_key] = decoder.decode(row.session_data)
    return found


def _session_user_ok(data: dict[str, Any], user: User | None, now: float) -> bool:
    """As `django.contrib.auth.get_user` decides, plus the practice's idle limit
    (huddle.accounts.middleware)."""
    if user is None or not user.is_active:
        return False
    if str(data.get(SESSION_KEY)) != str(user.pk):
        return False
    if data.get(BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return False
    session_hash = data.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, user.get_session_auth_hash()):
        return False
    if user.practice.require_two_factor and not data.get(DEVICE_ID_SESSION_KEY):
        return False  # held back for two-factor set-up (huddle/twofactor/middleware.py)
    last_seen = data.get(LAST_SEEN_KEY)
    idle_limit = user.practice.session_idle_minutes * 60
    return last_seen is None or now - float(last_seen) <= idle_limit


def _users(ids: Iterable[int]) -> dict[int, User]:
    wanted = list(dict.fromkeys(ids))
    found: dict[int, User] = {}
    for part in _chunks(wanted):
        found.update((u.pk, u) for u in User.objects.select_related("practice").filter(pk__in=part))
    return found


@brief_db_call
def authenticate(
    authorization: str | None, session_key: str | None
) -> tuple[User, Credential] | None:
    """The caller, as the API's auth decides (huddle.api): a bearer token first,
    then the browser session."""
    scheme, _, raw = (authorization or "").partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        token = (
            ApiToken.objects.select_related("user__practice")
            .filter(token_hash=hash_token(raw.strip()), expires_at__gt=timezone.now())
            .first()
        )
        if token is not None and token.user.is_active:
            return token.user, Credential(user_id=token.user_id, token_id=token.pk)
    if session_key:
        data = _load_sessions([session_key]).get(session_key)
        if data is None:
            return None
        try:
            user_id = int(data.get(SESSION_KEY, ""))
        except (TypeError, ValueError):
            return None
        user = _users([user_id]).get(user_id)
        if user is not None and _session_user_ok(data, user, time.time()):
            return user, Credential(user_id=user.pk, session_key=session_key)
    return None


@brief_db_call
def still_valid(credentials: Sequence[Credential]) -> list[bool]:
    """For each credential, whether it still signs its user in: in at most four
    statements per CHUNK streams, whatever their number."""
    now = timezone.now()
    token_ids = [c.token_id for c in credentials if c.token_id is not None]
    live_tokens: set[int] = set()
    for part in _chunks(token_ids):
        live_tokens.update(
            ApiToken.objects.filter(
                pk__in=part, expires_at__gt=now, user__is_active=True
            ).values_list("pk", flat=True)
        )
    keys = [c.session_key for c in credentials if c.session_key is not None]
    sessions = _load_sessions(list(dict.fromkeys(keys))) if keys else {}
    users = _users(c.user_id for c in credentials if c.session_key is not None)
    clock = time.time()
    result = []
    for c in credentials:
        if c.token_id is not None:
            result.append(c.token_id in live_tokens)
        elif c.session_key is not None and c.session_key in sessions:
            result.append(_session_user_ok(sessions[c.session_key], users.get(c.user_id), clock))
        else:
            result.append(False)
    return result
