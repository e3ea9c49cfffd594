"""API shapes of the conversation features (F17-F21): drafts, scheduled
messages, edits and earlier versions (API.md, "Conversation")."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field, StrictStr

from huddle.core import limits
from huddle.core.apitypes import NON_BLANK, Id, Input
from huddle.messaging.models import Draft, EntryVersion, ScheduledMessage


class EditIn(Input):
    body: StrictStr = Field(max_length=limits.BODY_MAX, json_schema_extra=NON_BLANK)


class VersionOut(Schema):
    body: str
    replaced_at: datetime


class VersionList(Schema):
    items: list[VersionOut]


def version_out(version: EntryVersion) -> VersionOut:
    return VersionOut(body=version.body, replaced_at=version.replaced_at)


class ReplyDraftIn(Input):
    body: StrictStr = Field(max_length=limits.BODY_MAX)
    attachment_ids: list[Id] = Field(default_factory=list, max_length=10)


class ReplyDraftOut(Schema):
    body: str
    attachment_ids: list[Id]
    updated_at: datetime


class DraftRecipients(Input):
    users: list[Id] = Field(default_factory=list, max_length=limits.RECIPIENTS_MAX)
    groups: list[StrictStr] = Field(default_factory=list, max_length=100)


class ThreadDraftIn(Input):
    recipients: DraftRecipients | None = None
    client_id: Id | None = None
    audience: Literal["clinical", "billing", "administrative"] | None = None
    subject: StrictStr = Field(default="", max_length=limits.SUBJECT_MAX)
    body: StrictStr = Field(default="", max_length=limits.BODY_MAX)
    attachment_ids: list[Id] = Field(default_factory=list, max_length=10)


class ThreadDraftOut(Schema):
    id: Id
    recipients: dict[str, list[str]]
    client_id: Id | None
    audience: str | None
    subject: str
    body: str
    attachment_ids: list[Id]
    updated_at: datetime


class ThreadDraftList(Schema):
    items: list[ThreadDraftOut]


def reply_draft_out(draft: Draft) -> ReplyDraftOut:
    return ReplyDraftOut(
        body=draft.body, attachment_ids=list(draft.attachment_ids), updated_at=draft.updated_at
    )


def thread_draft_out(draft: Draft) -> ThreadDraftOut:
    recipients = draft.recipients or {}
    return ThreadDraftOut(
        id=draft.pk,
        recipients={
            "users": [str(u) for u in recipients.get("users", [])],
            "groups": list(recipients.get("groups", [])),
        },
        client_id=draft.client_id,
        audience=draft.audience or None,
        subject=draft.subject,
        body=draft.body,
        attachment_ids=list(draft.attachment_ids),
        updated_at=draft.updated_at,
    )


class ScheduledOut(Schema):
    id: Id
    status: str
    thread_id: Id | None
    subject: str | None
    body: str
    urgent: bool
    send_at: datetime
    failure: str | None


class ScheduledList(Schema):
    items: list[ScheduledOut]


class ScheduledIn(Input):
    send_at: datetime | None = None
    body: StrictStr | None = Field(default=None, max_length=limits.BODY_MAX)


def scheduled_json(item: ScheduledMessage) -> dict[str, Any]:
    """A scheduled item as JSON data (ids as strings), as `ScheduledOut` dumps it."""
    return {
        "id": str(item.pk),
        "status": item.status,
        "thread_id": None if item.thread_id is None else str(item.thread_id),
        "subject": item.subject if item.thread_id is None else None,
        "body": item.body,
        "urgent": item.urgent,
        "send_at": item.send_at,
        "failure": item.failure or None,
    }
