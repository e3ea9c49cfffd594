"""Every live event of messaging, defined once (API.md, "Live events";
docs/EVENTS.md): the name, the shape of its data, and the one function that
builds it. The publisher after a commit (`publishing`), the stream's replay and
sweep (`stream_source`) and the features that announce a change (edits,
receipts, urgent, send later) all build their events here, so the wire says the
same thing whichever path an event takes.

Ids travel as strings and times as datetimes (DjangoJSONEncoder writes them, see
`events.sse`), as the API dumps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal, NamedTuple, TypedDict

from huddle.accounts.models import User
from huddle.messaging.models import Entry, EntryKind

Name = Literal[
    "message",
    "header_changed",
    "thread_state",
    "unread",
    "message_edited",
    "read",
    "acknowledged",
    "urgent_unacknowledged",
    "scheduled_failed",
]


class Person(TypedDict):
    id: str
    name: str


class LiveMessage(TypedDict):
    id: str
    author: Person
    body: str
    sent_at: datetime


class Message(TypedDict):
    thread_id: str
    message: LiveMessage


# "from" is a keyword: the functional form.
HeaderChanged = TypedDict(
    "HeaderChanged",
    {"thread_id": str, "id": str, "by": Person, "from": str, "to": str, "at": datetime},
)


class ThreadState(TypedDict):
    thread_id: str
    archived: bool
    deleted: bool
    unread_count: int


class Unread(TypedDict):
    practice: int
    clients: int


class EditedMessage(LiveMessage):
    edited_at: datetime | None
    removed: bool


class MessageEdited(TypedDict):
    thread_id: str
    message: EditedMessage


class Read(TypedDict):
    thread_id: str
    user: Person
    read_up_to: str | None
    at: datetime


class Acknowledged(TypedDict):
    thread_id: str
    message_id: str
    user: Person
    at: datetime


class UrgentUnacknowledged(TypedDict):
    thread_id: str
    message_id: str
    awaiting: list[Person]
    sent_at: datetime


class ScheduledFailed(TypedDict):
    id: str
    thread_id: str | None
    reason: str


Data = (
    Message
    | HeaderChanged
    | ThreadState
    | Unread
    | MessageEdited
    | Read
    | Acknowledged
    | UrgentUnacknowledged
    | ScheduledFailed
)


class Event(NamedTuple):
    name: Name
    data: Data


def person(user: User) -> Person:
    return {"id": str(user.pk), "name": user.name}


def entry_event(entry: Entry) -> Event:
    """`message` or `header_changed`, for everyone on the thread alike."""
    author = person(entry.author)
    if entry.kind == EntryKind.HEADER_CHANGED:
        header: HeaderChanged = {
            "thread_id": str(entry.thread_id),
            "id": str(entry.pk),
            "by": author,
            "from": entry.old_subject,
            "to": entry.new_subject,
            "at": entry.created_at,
        }
        return Event("header_changed", header)
    message: LiveMessage = {
        "id": str(entry.pk),
        "author": author,
        "body": entry.body,
        "sent_at": entry.created_at,
    }
    return Event("message", Message(thread_id=str(entry.thread_id), message=message))


def thread_state(thread_id: int, *, archived: bool, deleted: bool, unread: int) -> ThreadState:
    """`thread_state`: one person's own state of one thread (the keys in this
    order: `events.sse` writes the 2N of a message to N people out by hand)."""
    return {
        "thread_id": str(thread_id),
        "archived": archived,
        "deleted": deleted,
        "unread_count": unread,
    }


def unread(practice: int, clients: int) -> Unread:
    """`unread`: one person's totals in each view."""
    return {"practice": practice, "clients": clients}


def message_edited(entry: Entry) -> Event:
    """`message_edited`: the message as it now is (body "" once removed)."""
    message: EditedMessage = {
        "id": str(entry.pk),
        "author": person(entry.author),
        "body": entry.body,
        "sent_at": entry.created_at,
        "edited_at": entry.edited_at,
        "removed": entry.removed_at is not None,
    }
    return Event("message_edited", MessageEdited(thread_id=str(entry.thread_id), message=message))


def read(thread_id: int, user: User, read_up_to: int | None, at: datetime) -> Event:
    """`read`: a staff member read a thread up to a message (F17)."""
    data: Read = {
        "thread_id": str(thread_id),
        "user": person(user),
        "read_up_to": None if read_up_to is None else str(read_up_to),
        "at": at,
    }
    return Event("read", data)


def acknowledged(entry: Entry, user: User, at: datetime) -> Event:
    """`acknowledged`: someone acknowledged an urgent message (F20)."""
    data: Acknowledged = {
        "thread_id": str(entry.thread_id),
        "message_id": str(entry.pk),
        "user": person(user),
        "at": at,
    }
    return Event("acknowledged", data)


def urgent_unacknowledged(entry: Entry, awaiting: Iterable[tuple[int, str]]) -> Event:
    """`urgent_unacknowledged`: an urgent message still waits for these people."""
    data: UrgentUnacknowledged = {
        "thread_id": str(entry.thread_id),
        "message_id": str(entry.pk),
        "awaiting": [{"id": str(pk), "name": name} for pk, name in awaiting],
        "sent_at": entry.created_at,
    }
    return Event("urgent_unacknowledged", data)


def scheduled_failed(scheduled_id: int, thread_id: int | None, reason: str) -> Event:
    """`scheduled_failed`: a message sent later could not be sent (F21)."""
    data: ScheduledFailed = {
        "id": str(scheduled_id),
        "thread_id": None if thread_id is None else str(thread_id),
        "reason": reason,
    }
    return Event("scheduled_failed", data)
