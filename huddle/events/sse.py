"""The event-stream wire format (text/event-stream) and the events as they travel
between processes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
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
    data: Mapping[str, Any]
    # A one-person thread_state or unread its maker already knows to be well
    # shaped: `data`'s values, sent as they are (see `_packed`).
    values: tuple[Any, ...] | None = None

    def text(self) -> str:
        return text(self.event, self.data)


class Frame(NamedTuple):
    """A delivery as a stream process receives it: the event already rendered
    (`text`, made `body` by whoever sends it)."""

    users: list[int]
    id: int | None
    text: str


def text(event: str, data: Mapping[str, Any]) -> str:
    """An event without its `id:` line; JSON never holds a raw line break."""
    return f"event: {event}\ndata: {_per_person(event, data) or _DATA(data)}\n\n"


_STATE_KEYS = ["thread_id", "archived", "deleted", "unread_count"]
_UNREAD_KEYS = ["practice", "clients"]
_BOOL = {True: "true", False: "false"}


def _shaped(event: str, data: Mapping[str, Any]) -> bool:
    """Whether `data` is a `thread_state` or `unread` shaped as Huddle sends them
    (the keys in order, ids as digit strings, booleans and integers)."""
    if event == "thread_state" and list(data) == _STATE_KEYS:
        thread_id, archived, deleted, unread = data.values()
        return (
            type(thread_id) is str
            and thread_id.isdecimal()
            and type(archived) is bool
            and type(deleted) is bool
            and type(unread) is int
        )
    if event == "unread" and list(data) == _UNREAD_KEYS:
        practice, clients = data.values()
        return type(practice) is int and type(clients) is int
    return False


def _per_person(event: str, data: Mapping[str, Any]) -> str | None:
    """The JSON of `thread_state` and `unread` (2N of them after a message to N
    people), written out: the encoder's very text, at a fraction of its cost.
    None for anything else, or anything not shaped as these are."""
    if not _shaped(event, data):
        return None
    if event == "thread_state":
        thread_id, archived, deleted, unread = data.values()
        return (
            f'{{"thread_id":"{thread_id}","archived":{_BOOL[archived]},'
            f'"deleted":{_BOOL[deleted]},"unread_count":{unread}}}'
        )
    practice, clients = data.values()
    return f'{{"practice":{practice},"clients":{clients}}}'


def body(event: str, data: Mapping[str, Any]) -> bytes:
    return text(event, data).encode()


def frame(event_id: int | None, event_body: bytes) -> bytes:
    if event_id is None:
        return event_body
    return b"id: %d\n" % event_id + event_body


def _packed(delivery: Delivery) -> list[Any] | None:
    """A one-person `thread_state` or `unread` as bare values (`t` and `u` rows of
    the wire format), or None for anything else."""
    if delivery.values is not None:
        return [delivery.users[0], *delivery.values]
    if len(delivery.users) != 1 or not _shaped(delivery.event, delivery.data):
        return None
    return [delivery.users[0], *delivery.data.values()]


_KINDS = {"thread_state": "t", "unread": "u"}


def encode(deliveries: list[Delivery]) -> bytes:
    """The JSON published on the channel, one message per committed change:
    `{"v": 3, "d": [[users, id, event text], …], "t": [[user, thread_state values…], …],
    "u": [[user, practice, clients], …]}`. Shared events are rendered once here;
    the 2N per-person ones of a message to N people travel as bare values and are
    rendered only by the process serving that person (docs/EVENTS.md). A stream
    replays them in that order (`d`, `t`, `u`), so a list in another order is sent
    all as text."""
    rows: dict[str, list[Any]] = {"d": [], "t": [], "u": []}
    reached = 0  # how far along "d", "t", "u" the list has come
    for delivery in deliveries:
        packed = _packed(delivery)
        kind = "d" if packed is None else _KINDS[delivery.event]
        if "dtu".index(kind) < reached:
            return _all_text(deliveries)
        reached = "dtu".index(kind)
        rows[kind].append(
            [delivery.users, delivery.id, delivery.text()] if packed is None else packed
        )
    return _WIRE({"v": 3, **rows}).encode()


def _all_text(deliveries: list[Delivery]) -> bytes:
    rows = [[d.users, d.id, d.text()] for d in deliveries]
    return _WIRE({"v": 3, "d": rows, "t": [], "u": []}).encode()


def decode(raw: bytes | str, serves: Callable[[int], bool] = lambda user: True) -> list[Frame]:
    """The frames of a published message; the per-person ones only for the users
    this process `serves` (it renders nothing for anyone else)."""
    message = json.loads(raw)
    frames = [Frame(users, event_id, event) for users, event_id, event in message["d"]]
    for user, *values in message.get("t", ()):
        if serves(user):
            state = dict(zip(_STATE_KEYS, values, strict=True))
            frames.append(Frame([user], None, text("thread_state", state)))
    for user, *values in message.get("u", ()):
        if serves(user):
            counts = dict(zip(_UNREAD_KEYS, values, strict=True))
            frames.append(Frame([user], None, text("unread", counts)))
    return frames
