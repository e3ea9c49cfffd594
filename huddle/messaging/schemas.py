from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StrictStr

from huddle.accounts.models import User
from huddle.attachments import linking as attachments
from huddle.attachments.schemas import AttachmentOut, attachment_out
from huddle.availability.queries import coverage_on_thread
from huddle.core import limits
from huddle.core.apitypes import NO_NUL, NON_BLANK, Id, Input
from huddle.messaging.models import Entry, EntryKind, Participant
from huddle.messaging.queries import InboxPage, InboxRow, Name, is_archived


class Person(Schema):
    id: Id
    name: str


class LastMessage(Schema):
    author: Person
    snippet: str
    sent_at: datetime


class ThreadSummary(Schema):
    id: Id
    subject: str
    view: str
    client: Person | None = None
    audience: str | None = None
    participants: list[Person]
    groups: list[str]
    last_message: LastMessage | None
    unread_count: int
    archived: bool


class ThreadList(Schema):
    items: list[ThreadSummary]
    next_cursor: str | None


class Acknowledgement(Schema):
    user: Person
    at: datetime


class MessageOut(Schema):
    type: Literal["message"] = "message"
    id: Id
    thread_id: Id
    author: Person
    body: str
    sent_at: datetime
    attachments: list[AttachmentOut] = Field(default_factory=list)
    # conversation (F19, F20)
    urgent: bool = False
    edited_at: datetime | None = None
    removed: bool = False
    # Urgent messages only: who has acknowledged, and who is still awaited.
    acknowledgements: list[Acknowledgement] | None = None
    awaiting: list[Person] | None = None


class HeaderChangeOut(Schema):
    model_config = ConfigDict(populate_by_name=True)

    type: Literal["header_changed"] = "header_changed"
    id: Id
    thread_id: Id
    by: Person
    from_: str = Field(alias="from")
    to: str
    at: datetime


class Receipt(Schema):
    """How far one person (`user` null: the practice, for a client) has read."""

    user: Person | None
    read_up_to: Id | None
    at: datetime | None


class AutoReplyOut(Schema):
    """An automatic notice (availability): the after-hours reply or an away notice."""

    type: Literal["auto_reply"] = "auto_reply"
    id: Id
    thread_id: Id
    reason: Literal["after_hours", "away"]
    text: str
    at: datetime
    user: Person | None = None  # away: who is away
    until: datetime | None = None  # away: until when


class Coverage(Schema):
    """Staff only: someone who sees this thread while covering an absent colleague."""

    user: Person
    covering_for: Person
    until: datetime


class ThreadDetail(ThreadSummary):
    timeline: list[
        Annotated[MessageOut | HeaderChangeOut | AutoReplyOut, Field(discriminator="type")]
    ]
    receipts: list[Receipt] = Field(default_factory=list)
    coverage: list[Coverage] = Field(default_factory=list)


class ThreadState(Schema):
    thread_id: Id
    archived: bool
    deleted: bool
    unread_count: int


ATTACHMENTS_MAX = 10  # files on one message (attachments.actions.MAX_PER_MESSAGE)


class RecipientsIn(Input):
    users: list[Id] = Field(default_factory=list, max_length=limits.RECIPIENTS_MAX)
    groups: list[StrictStr] = Field(default_factory=list, max_length=100)


class ThreadIn(Input):
    """Staff to staff: `recipients`. Client messaging: `client_id` (staff) and/or
    `audience` (a client writing to the practice)."""

    recipients: RecipientsIn | None = None
    client_id: Id | None = None
    audience: Literal["clinical", "billing", "administrative"] | None = None
    subject: StrictStr = Field(max_length=limits.SUBJECT_MAX, json_schema_extra=NON_BLANK)
    # May be empty when the message carries files (`attachment_ids`).
    body: StrictStr = Field("", max_length=limits.BODY_MAX, json_schema_extra=NO_NUL)
    attachment_ids: list[Id] = Field(default_factory=list, max_length=ATTACHMENTS_MAX)
    # conversation: staff only; a time 1 minute to 30 days ahead; the draft sent.
    urgent: bool = False
    send_at: datetime | None = None
    draft_id: Id | None = None


class ReplyIn(Input):
    body: StrictStr = Field("", max_length=limits.BODY_MAX, json_schema_extra=NO_NUL)
    attachment_ids: list[Id] = Field(default_factory=list, max_length=ATTACHMENTS_MAX)
    urgent: bool = False
    send_at: datetime | None = None


class HeaderIn(Input):
    subject: StrictStr = Field(max_length=limits.SUBJECT_MAX, json_schema_extra=NON_BLANK)


class UserRecipient(Schema):
    kind: Literal["user"] = "user"
    id: Id
    name: str
    roles: list[str]


class GroupRecipient(Schema):
    kind: Literal["group"] = "group"
    key: str
    name: str
    members: list[Person]


class ClientRecipient(Schema):
    kind: Literal["client"] = "client"
    id: Id
    name: str
    audiences: list[str]


class RecipientList(Schema):
    items: list[UserRecipient | GroupRecipient | ClientRecipient]


# Answers built here from stored rows skip validation (`model_construct`): ninja's
# validator ran once per nested object, and an inbox page holds hundreds of them.


def person(user: User) -> Person:
    return Person.model_construct(id=user.pk, name=user.name)


def snippet(body: str) -> str:
    flat = " ".join(body.split())
    if len(flat) <= limits.SNIPPET_LENGTH:
        return flat
    return flat[: limits.SNIPPET_LENGTH - 1].rstrip() + "…"


def summary(
    participation: Participant, cutoff: datetime, participants: list[Participant] | None = None
) -> ThreadSummary:
    """A thread as one participant sees it."""
    thread = participation.thread
    last = thread.last_message
    everyone = participants if participants is not None else thread.participants.all()
    if not participation.user.is_staff_member:
        # A client sees themselves and the team they wrote to, never the staff roster.
        everyone = [p for p in everyone if p.user_id == participation.user_id]
    client = None
    if thread.client_id is not None:
        client = next((person(p.user) for p in everyone if p.user_id == thread.client_id), None)
    return ThreadSummary.model_construct(
        id=thread.pk,
        subject=thread.subject,
        view=thread.view,
        client=client,
        audience=thread.audience or None,
        participants=[person(p.user) for p in everyone],
        groups=list(thread.group_names),
        last_message=None
        if last is None
        else LastMessage.model_construct(
            author=person(last.author), snippet=snippet(last.body), sent_at=last.created_at
        ),
        unread_count=participation.unread_count,
        archived=is_archived(participation, cutoff),
    )


# An inbox page is the API's hottest answer: its JSON is built here as plain data,
# exactly as ninja would dump `ThreadList` (ids as strings, the same keys in the same
# order; times are left to the JSON encoder, as ninja leaves them).


def _name_json(who: Name) -> dict[str, Any]:
    return {"id": str(who.id), "name": who.name}


def row_json(row: InboxRow, reader: User, cutoff: datetime) -> dict[str, Any]:
    """`summary` of one inbox row, as JSON data."""
    thread = row.thread
    everyone = thread.participants
    if not reader.is_staff_member:
        # A client sees themselves and the team they wrote to, never the staff roster.
        everyone = [p for p in everyone if p.id == reader.pk]
    client = None
    if thread.client_id is not None:
        client = next((_name_json(p) for p in everyone if p.id == thread.client_id), None)
    last = thread.last_message
    return {
        "id": str(thread.pk),
        "subject": thread.subject,
        "view": thread.view,
        "client": client,
        "audience": thread.audience or None,
        "participants": [_name_json(p) for p in everyone],
        "groups": list(thread.group_names),
        "last_message": None
        if last is None
        else {
            "author": _name_json(last.author),
            "snippet": snippet(last.body),
            "sent_at": last.created_at,
        },
        "unread_count": row.unread_count,
        "archived": is_archived(row, cutoff),
    }


def page_json(page: InboxPage, reader: User) -> dict[str, Any]:
    """A `ThreadList`, as JSON data."""
    return {
        "items": [row_json(row, reader, page.cutoff) for row in page.items],
        "next_cursor": page.next_cursor,
    }


def entry_out(entry: Entry, acks: Any = None) -> MessageOut | HeaderChangeOut | AutoReplyOut:
    """One timeline item; `acks` (an `urgent.Acks`) for an urgent message."""
    if entry.kind == EntryKind.AUTO_REPLY:
        notice = entry.notice
        return AutoReplyOut(
            id=entry.pk,
            thread_id=entry.thread_id,
            reason=notice.reason,  # type: ignore[arg-type]  # a NoticeReason value
            text=entry.body,
            at=entry.created_at,
            user=person(notice.user) if notice.user is not None else None,
            until=notice.until,
        )
    if entry.kind == EntryKind.HEADER_CHANGED:
        return HeaderChangeOut.model_validate(
            {
                "id": entry.pk,
                "thread_id": entry.thread_id,
                "by": person(entry.author),
                "from": entry.old_subject,
                "to": entry.new_subject,
                "at": entry.created_at,
            }
        )
    return MessageOut(
        id=entry.pk,
        thread_id=entry.thread_id,
        author=person(entry.author),
        body=entry.body,
        sent_at=entry.created_at,
        # A removed message keeps its files in the record, not on the thread.
        attachments=[] if entry.removed_at else [attachment_out(a) for a in attachments.of(entry)],
        urgent=entry.urgent,
        edited_at=entry.edited_at,
        removed=entry.removed_at is not None,
        acknowledgements=None
        if acks is None
        else [Acknowledgement(user=person(u), at=at) for u, at in acks.acknowledgements],
        awaiting=None if acks is None else [person(u) for u in acks.awaiting],
    )


def coverage_out(participation: Participant) -> list[Coverage]:
    """Staff see who is covering on a client thread (availability, F23)."""
    if not participation.user.is_staff_member:
        return []
    thread = participation.thread
    return [
        Coverage(user=person(p.covering), covering_for=person(p.user), until=p.ends_at)
        for p in coverage_on_thread(thread.client_id, thread.audience)
        if p.covering is not None
    ]


def state_out(participation: Participant, cutoff: datetime) -> ThreadState:
    return ThreadState(
        thread_id=participation.thread_id,
        archived=is_archived(participation, cutoff),
        deleted=participation.deleted,
        unread_count=participation.unread_count,
    )
