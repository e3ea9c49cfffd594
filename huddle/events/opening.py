"""What a stream sends first: the entries missed since Last-Event-ID, oldest
first, then the caller's unread counts. Used by the streaming ASGI app and by
the one-shot Django view alike."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from huddle import audit
from huddle.accounts.models import User
from huddle.events.auth import brief_db_call
from huddle.events.payloads import REPLAY_MAX, entry_event, latest_entry_id, replay
from huddle.events.sse import body, frame
from huddle.messaging.models import Entry
from huddle.messaging.queries import unread_by_user


@dataclass
class Opening:
    frames: list[bytes]
    last_id: int
    replayed: set[int] = field(default_factory=set)
    # False when more than REPLAY_MAX entries were missed: the stream then ends
    # after this batch, and the client's reconnect fetches the next one.
    complete: bool = True


def parse_last_event_id(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return None
    return int(raw)


def record_replay(user: User, entries: Sequence[Entry]) -> None:
    """An audit row per thread whose entries a stream sent again: who, which
    thread, how many (SECURITY.md: a replay carries message text)."""
    per_thread = Counter(entry.thread_id for entry in entries)
    if per_thread:
        details = {pk: f"{n} entries" if n != 1 else "1 entry" for pk, n in per_thread.items()}
        audit.record_threads(audit.Action.HISTORY_REPLAYED, actor=user, details=details)


@brief_db_call
def opening(user: User, last_event_id: int | None, late: Sequence[int] = ()) -> Opening:
    """Two or three statements (a fourth, the audit rows, on a replay), whatever
    the number of threads. `late`: entries
    at or below `last_event_id` that reached this process out of id order lately
    (broker.Hub.late_ids); the client may have left before they came, so they
    are replayed too."""
    if last_event_id is None:
        result = Opening(frames=[], last_id=latest_entry_id(user))
    else:
        entries = replay(user, last_event_id, late)
        result = Opening(frames=[], last_id=last_event_id, complete=len(entries) <= REPLAY_MAX)
        for entry in entries[:REPLAY_MAX]:
            result.frames.append(frame(entry.pk, body(*entry_event(entry))))
            result.replayed.add(entry.pk)
            result.last_id = max(result.last_id, entry.pk)
        record_replay(user, entries[:REPLAY_MAX])
    counts = unread_by_user(user.practice, [user.pk])[user.pk]
    result.frames.append(frame(result.last_id, body("unread", counts)))
    return result
