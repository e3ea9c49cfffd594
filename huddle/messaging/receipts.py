"""Read receipts (F17): each participant's read position (`read_up_to`, the id of
the last message they have read, and `read_at`) is written when they read the
thread and when they send; the thread's receipts are built from the participant
rows its page already loads, so they cost no statement of their own.

Staff see everyone's receipt. A client sees only "Read by the practice" (the
furthest any staff participant has read), and only when the practice turns on
`client_read_receipts`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from huddle.accounts.models import User
from huddle.messaging import live, publishing
from huddle.messaging.models import Entry, EntryKind, Participant


@dataclass(frozen=True)
class Receipt:
    user: User | None  # None: "the practice", for a client
    read_up_to: int | None
    at: datetime | None


def receipts(reader: User, participants: list[Participant]) -> list[Receipt]:
    """What `reader` sees of the others' read positions (no statement)."""
    if reader.is_staff_member:
        return [
            Receipt(p.user, p.read_up_to, p.read_at) for p in participants if p.user_id != reader.pk
        ]
    if not reader.practice.client_read_receipts:
        return []
    staff = [p for p in participants if p.user.is_staff_member and p.read_up_to is not None]
    if not staff:
        return [Receipt(None, None, None)]
    furthest = max(staff, key=lambda p: (p.read_up_to or 0, p.read_at or timezone.now()))
    return [Receipt(None, furthest.read_up_to, furthest.read_at)]


@dataclass
class SeenBy:
    """Who of the others has read up to the latest message, and who up to each."""

    latest_id: int | None
    seen: list[User]
    total: int
    # message id -> the people whose read position is that message
    up_to: dict[int, list[User]]
    # For a client with client_read_receipts: the message the practice has read up to.
    practice_at: int | None = None


def seen_by(reader: User, participants: list[Participant], entries: list[Entry]) -> SeenBy:
    """The thread page's receipts ("Seen by 3 of 5"), from what it already loaded."""
    messages = [e.pk for e in entries if e.kind == EntryKind.MESSAGE]
    latest = messages[-1] if messages else None
    shown = receipts(reader, participants)
    if not reader.is_staff_member:
        position = shown[0].read_up_to if shown else None
        at = None
        if position is not None:
            at = max((m for m in messages if m <= position), default=None)
        return SeenBy(latest, [], 0, {}, practice_at=at)
    up_to: dict[int, list[User]] = {}
    seen: list[User] = []
    for r in shown:
        if r.read_up_to is None:
            continue
        # The last message at or before their position (a removed one still counts).
        at = max((m for m in messages if m <= r.read_up_to), default=None)
        if at is None:
            continue
        if r.user is not None:
            up_to.setdefault(at, []).append(r.user)
            if at == latest:
                seen.append(r.user)
    return SeenBy(latest, seen, len(shown), up_to)


def read_changed(participation: Participant, read_up_to: int | None, at: datetime) -> None:
    """Inside `mark_read`'s transaction: tell the thread's other staff (`read`)."""
    user = participation.user
    publishing.to_thread(
        participation.thread_id,
        live.read(participation.thread_id, user, read_up_to, at),
        staff_only=True,
        leave_out=user.pk,
    )
