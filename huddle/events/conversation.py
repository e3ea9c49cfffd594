"""Live events of the conversation features (F17-F21), published after commit
next to `publish.entry_committed`: `message_edited`, `read`, `acknowledged` and
`urgent_unacknowledged` (docs/EVENTS.md).

They carry no `id:` of their own (like `thread_state`), so a stream that resumes
with Last-Event-ID does not replay them; a page that reconnects reloads the
thread anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from huddle.core import sql
from huddle.events.publish import listened_to, publish
from huddle.events.sse import Delivery

# Who on a thread may hear of a change now: active, not deleted it; with their kind.
_LISTENERS = (
    "SELECT p.user_id, u.kind FROM messaging_participant p"
    " JOIN accounts_user u ON u.id = p.user_id"
    " WHERE p.thread_id = %s AND NOT p.deleted AND u.is_active"
)


def _listeners(thread_id: int, *, staff_only: bool, leave_out: int | None) -> tuple[int, ...]:
    rows = sql.fetch_all(_LISTENERS, (thread_id,))
    return tuple(
        user_id
        for user_id, kind in rows
        if user_id != leave_out and (not staff_only or kind == "staff")
    )


def to_thread(
    thread_id: int,
    event: str,
    data: dict[str, Any],
    *,
    staff_only: bool = False,
    leave_out: int | None = None,
) -> None:
    """After the commit: `event` to the thread's people (its staff only, when asked)."""

    def send() -> None:
        if not listened_to():
            return
        users = _listeners(thread_id, staff_only=staff_only, leave_out=leave_out)
        if users:
            publish([Delivery(users, None, event, data)])

    transaction.on_commit(send, robust=True)


def to_users(user_ids: Iterable[int], event: str, data: dict[str, Any]) -> None:
    """After the commit: `event` to these people."""
    users = tuple(dict.fromkeys(user_ids))

    def send() -> None:
        if users and listened_to():
            publish([Delivery(users, None, event, data)])

    transaction.on_commit(send, robust=True)
