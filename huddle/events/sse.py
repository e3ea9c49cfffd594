"""The event-stream wire format (text/event-stream) and the events as they travel
between processes."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from django.core.serializers.json import DjangoJSONEncoder

KEEPALIVE = b": keep-alive\n\n"
# How long a browser waits before reconnecting after the stream ends.
RETRY = b"retry: 3000\n\n"

# Made once: `json.dumps(..., cls=...)` builds an encoder on every call.
_DATA = DjangoJSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_WIRE = json.JSONEncoder(separators=(",", ":")).encode


class Delivery(NamedTuple):
    """One event for some users. `id` is the entry id of `message` and
    `header_changed`; None for per-user state events, which each stream sends
    with the latest id it has sent (so a resume from it misses nothing).
    (A tuple, not a dataclass: a message to N people publishes 2N + 1 of these.)"""

    users: tuple[int, ...]
    id: int | None
    event: str
    data: dict[str, Any]

    def text(self) -> str:
        return text(self.event, self.data)


class Frame(NamedTuple):
    """A delivery as a stream process receives it: the event already rendered
    (`text`, made `body` by whoever sends it)."""

    users: list[int]
    id: int | None
    text: str


def text(event: str, data: dict[str, Any]) -> str:
    """An event without its `id:` line; JSON never holds a raw line break."""
    return f"event: {event}\ndata: {_per_person(event, data) or _DATA(data)}\n\n"


_STATE_KEYS = ["thread_id", "archived", "deleted", "unread_count"]
_UNREAD_KEYS = ["practice", "clients"]
_BOOL = {True: "true", False: "false"}


def _per_person(event: str, data: dict[str, Any]) -> str | None:
    """The JSON of `thread_state` and `unread` (2N of them after a message to N
    people), written out: the encoder's very text, at a fraction of its cost.
    None for anything else, or anything not shaped as these are."""
    if event == "thread_state" and list(data) == _STATE_KEYS:
        thread_id, archived, deleted, unread = data.values()
        if (
            type(thread_id) is str
            and thread_id.isdecimal()
            and type(archived) is bool
            and type(deleted) is bool
            and type(unread) is int
        ):
            return (
                f'{{"thread_id":"{thread_id}","archived":{_BOOL[archived]},'
                f'"deleted":{_BOOL[deleted]},"unread_count":{unread}}}'
            )
    elif event == "unread" and list(data) == _UNREAD_KEYS:
        practice, clients = data.values()
        if type(practice) is int and type(clients) is int:
            return f'{{"practice":{practice},"clients":{clients}}}'
    return None


def body(event: str, data: dict[str, Any]) -> bytes:
    return text(event, data).encode()


def frame(event_id: int | None, event_body: bytes) -> bytes:
    if event_id is None:
        return event_body
    return b"id: %d\n" % event_id + event_body


def encode(deliveries: list[Delivery]) -> bytes:
    """The JSON published on the channel: one message per committed change, each
    event rendered once here, so no stream process encodes anything
    (`[[users, id, event text], …]`)."""
    rows = [[d.users, d.id, d.text()] for d in deliveries]
    return _WIRE({"v": 2, "d": rows}).encode()


def decode(raw: bytes | str) -> list[Frame]:
    message = json.loads(raw)
    if message.get("v") == 1:  # from a process still running the previous release
        return [
            Frame([int(u) for u in row["u"]], row["i"], text(row["e"], row["d"]))
            for row in message["deliveries"]
        ]
    return [Frame(users, event_id, event) for users, event_id, event in message["d"]]
