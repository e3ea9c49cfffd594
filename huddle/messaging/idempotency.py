"""Idempotency-Key: a repeat of a request by the same user answers the first
result and stores nothing new, also when the repeats arrive at the same time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction

from huddle.accounts.models import User
from huddle.core import limits
from huddle.core.errors import InvalidInput
from huddle.messaging.models import IdempotencyKey

Result = tuple[int, Any]


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > limits.IDEMPOTENCY_KEY_MAX or not key.isprintable():
        raise InvalidInput.field(
            "Idempotency-Key", f"Use 1 to {limits.IDEMPOTENCY_KEY_MAX} printable characters."
        )
    return key


def once(
    user: User,
    key: str | None,
    scope: str,
    run: Callable[[], Result],
    recheck: Callable[[Any], object] | None = None,
) -> Result:
    """Run `run` (which returns a status and a JSON-able body) at most once per
    user, key and `scope` (the request's method and path).

    The key is claimed in the same transaction as the change: if the change
    fails, the claim goes with it and a retry runs again. Before a stored answer
    is replayed, `recheck(body)` may raise (NotFound, Forbidden) when the caller
    may no longer see what it describes.
    """
    if key is None:
        return run()
    key = f"{scope}|{check_key(key)}"
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(user=user, key=key)
        except IntegrityError:
            # Someone else claimed it; on PostgreSQL the insert above waited for
            # their commit, so their answer is stored by now.
            stored = IdempotencyKey.objects.get(user=user, key=key)
            if stored.status is None:
                raise InvalidInput.field(
                    "Idempotency-Key", "A request with this key is still running."
                ) from None
            if recheck is not None:
                recheck(stored.response)
            return stored.status, stored.response
        status, body = run()
        claim.status = status
        claim.response = body
        claim.save(update_fields=["status", "response"])
        return status, body
