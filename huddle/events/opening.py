"""What a stream sends first: the entries missed since Last-Event-ID, oldest
first, then the caller's unread counts. Used by the streaming ASGI app and by
the one-shot Django view alike; the entries come from the event source
(`source.py`), which audits every replay."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from huddle.accounts.models import User
from huddle.events import source
from huddle.events.auth import brief_db_call
from huddle.events.sse import body, frame

# At most this many entries are replayed on one connection; a client further
# behind gets them on its next connection (the stream ends after a full batch).
REPLAY_MAX = 100


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


@brief_db_call
def opening(user: User, last_event_id: int | None, late: Sequence[int] = ()) -> Opening:
    """Two or three statements (a fourth, the audit rows, on a replay), whatever
    the number of threads. `late`: entries at or below `last_event_id` that
    reached this process out of id order lately (broker.Hub.late_ids); the
    client may have left before they came, so they are replayed too."""
    history = source.current()
    if last_event_id is None:
        result = Opening(frames=[], last_id=history.latest_id(user))
    else:
        entries = history.replay(user, last_event_id, late, REPLAY_MAX)
        result = Opening(frames=[], last_id=last_event_id, complete=len(entries) <= REPLAY_MAX)
        for entry in entries[:REPLAY_MAX]:
            result.frames.append(frame(entry.id, body(entry.event, entry.data)))
            result.replayed.add(entry.id)
            result.last_id = max(result.last_id, entry.id)
    result.frames.append(frame(result.last_id, body("unread", history.unread(user))))
    return result
