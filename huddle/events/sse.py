"""The event-stream wire format (text/event-stream) and the events as they travel
between processes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

KEEPALIVE = b": keep-alive\n\n"
# How long a browser waits before reconnecting after the stream ends.
RETRY = b"retry: 3000\n\n"


@dataclass(frozen=True)
class Delivery:
    """One event for some users. `id` is the entry id of `message` and
    `header_changed`; None for per-user state events, which each stream sends
    with the latest id it has sent (so a resume from it misses nothing)."""

    users: tuple[int, ...]
    id: int | None
    event: str
    data: dict[str, Any]

    def body(self) -> bytes:
        return body(self.event, self.data)


def body(event: str, data: dict[str, Any]) -> bytes:
    """An event without its `id:` line; JSON never holds a raw line break."""
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder)
    return f"event: {event}\ndata: {payload}\n\n".encode()


def frame(event_id: int | None, event_body: bytes) -> bytes:
    if event_id is None:
        return event_body
    return b"id: %d\n" % event_id + event_body


def encode(deliveries: list[Delivery]) -> bytes:
    """The JSON published on the channel: one message per committed change."""
    rows = [{"u": list(d.users), "i": d.id, "e": d.event, "d": d.data} for d in deliveries]
    message = {"v": 1, "deliveries": rows}
    return json.dumps(message, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def decode(raw: bytes | str) -> list[Delivery]:
    message = json.loads(raw)
    return [
        Delivery(users=tuple(int(u) for u in row["u"]), id=row["i"], event=row["e"], data=row["d"])
        for row in message["deliveries"]
    ]
