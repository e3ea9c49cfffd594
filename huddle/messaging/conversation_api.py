"""The conversation endpoints (API.md, "Conversation"): editing and removing
one's own message, acknowledging an urgent one, drafts, scheduled messages.
Reads and answers only; every change is a function of edits, urgent, drafts
or scheduled."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from huddle.accounts.api import caller
from huddle.core.apitypes import Error, parse_path_id
from huddle.core.errors import NotFound
from huddle.messaging import drafts, edits, queries, scheduled, urgent
from huddle.messaging.access import get_participation
from huddle.messaging.conversation_schemas import (
    EditIn,
    ReplyDraftIn,
    ReplyDraftOut,
    ScheduledIn,
    ScheduledList,
    ScheduledOut,
    ThreadDraftIn,
    ThreadDraftList,
    ThreadDraftOut,
    VersionList,
    reply_draft_out,
    scheduled_json,
    thread_draft_out,
    version_out,
)
from huddle.messaging.models import Entry, Participant
from huddle.messaging.schemas import MessageOut, entry_out

router = Router(tags=["conversation"])

READ_ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 409: Error, 413: Error}


def _id(raw: str) -> int:
    pk = parse_path_id(raw)
    if pk is None:
        raise NotFound
    return pk


def _message(entry: Entry, participation: Participant) -> Any:
    acks = {}
    if entry.urgent and participation.user.is_staff_member:
        acks = urgent.acks_for([entry], queries.thread_participants(participation))
    return entry_out(entry, acks.get(entry.pk))


@router.patch("/messages/{message_id}", response={200: MessageOut, **WRITE_ERRORS})
def edit_message(request: HttpRequest, message_id: str, payload: EditIn) -> Any:
    user = caller(request)
    entry = edits.edit_message(editor=user, entry_id=_id(message_id), body=payload.body)
    return _message(entry, get_participation(user, entry.thread_id))


@router.delete("/messages/{message_id}", response={200: MessageOut, **WRITE_ERRORS})
def remove_message(request: HttpRequest, message_id: str) -> Any:
    user = caller(request)
    entry = edits.remove_message(remover=user, entry_id=_id(message_id))
    return _message(entry, get_participation(user, entry.thread_id))


@router.get("/messages/{message_id}/versions", response={200: VersionList, **READ_ERRORS})
def message_versions(request: HttpRequest, message_id: str) -> VersionList:
    """Earlier texts of an edited message, oldest first (none for a removed one)."""
    versions = edits.versions_of(caller(request), _id(message_id))
    return VersionList(items=[version_out(v) for v in versions])


@router.post("/messages/{message_id}/acknowledge", response={200: MessageOut, **READ_ERRORS})
def acknowledge(request: HttpRequest, message_id: str) -> Any:
    user = caller(request)
    entry = urgent.acknowledge(user=user, entry_id=_id(message_id))
    return _message(entry, get_participation(user, entry.thread_id))


# Reply drafts.


def _participation(request: HttpRequest, thread_id: str) -> Participant:
    return get_participation(caller(request), _id(thread_id))


@router.get("/threads/{thread_id}/draft", response={200: ReplyDraftOut, **READ_ERRORS})
def get_reply_draft(request: HttpRequest, thread_id: str) -> ReplyDraftOut:
    return reply_draft_out(drafts.reply_draft(_participation(request, thread_id)))


@router.put("/threads/{thread_id}/draft", response={200: ReplyDraftOut, **WRITE_ERRORS})
def put_reply_draft(request: HttpRequest, thread_id: str, payload: ReplyDraftIn) -> ReplyDraftOut:
    draft = drafts.save_reply_draft(
        participation=_participation(request, thread_id),
        body=payload.body,
        attachment_ids=list(payload.attachment_ids),
    )
    return reply_draft_out(draft)


@router.delete("/threads/{thread_id}/draft", response={204: None, **READ_ERRORS})
def delete_reply_draft(request: HttpRequest, thread_id: str) -> Status[None]:
    participation = _participation(request, thread_id)
    drafts.reply_draft(participation)  # 404 when there is none
    drafts.discard_reply_draft(user_id=participation.user_id, thread_id=participation.thread_id)
    return Status(204, None)


# New-thread drafts.


def _draft_fields(payload: ThreadDraftIn) -> dict[str, Any]:
    recipients = None
    if payload.recipients is not None:
        recipients = {
            "users": list(payload.recipients.users),
            "groups": list(payload.recipients.groups),
        }
    return {
        "subject": payload.subject,
        "body": payload.body,
        "recipients": recipients,
        "client_id": payload.client_id,
        "audience": payload.audience,
        "attachment_ids": list(payload.attachment_ids),
    }


@router.get("/drafts", response={200: ThreadDraftList, **READ_ERRORS})
def list_drafts(request: HttpRequest) -> ThreadDraftList:
    items = drafts.thread_drafts(caller(request))
    return ThreadDraftList(items=[thread_draft_out(d) for d in items])


@router.post("/drafts", response={201: ThreadDraftOut, **WRITE_ERRORS})
def create_draft(request: HttpRequest, payload: ThreadDraftIn) -> Status[ThreadDraftOut]:
    draft = drafts.create_thread_draft(user=caller(request), **_draft_fields(payload))
    return Status(201, thread_draft_out(draft))


@router.get("/drafts/{draft_id}", response={200: ThreadDraftOut, **READ_ERRORS})
def get_draft(request: HttpRequest, draft_id: str) -> ThreadDraftOut:
    return thread_draft_out(drafts.thread_draft(caller(request), _id(draft_id)))


@router.put("/drafts/{draft_id}", response={200: ThreadDraftOut, **WRITE_ERRORS})
def put_draft(request: HttpRequest, draft_id: str, payload: ThreadDraftIn) -> ThreadDraftOut:
    draft = drafts.update_thread_draft(
        user=caller(request), draft_id=_id(draft_id), **_draft_fields(payload)
    )
    return thread_draft_out(draft)


@router.delete("/drafts/{draft_id}", response={204: None, **READ_ERRORS})
def delete_draft(request: HttpRequest, draft_id: str) -> Status[None]:
    drafts.delete_draft(user=caller(request), draft_id=_id(draft_id))
    return Status(204, None)


# Scheduled messages.


@router.get("/scheduled", response={200: ScheduledList, **READ_ERRORS})
def list_scheduled(request: HttpRequest) -> Any:
    return {"items": [scheduled_json(i) for i in scheduled.scheduled_of(caller(request))]}


@router.patch("/scheduled/{item_id}", response={200: ScheduledOut, **WRITE_ERRORS})
def change_scheduled(request: HttpRequest, item_id: str, payload: ScheduledIn) -> Any:
    item = scheduled.update_scheduled(
        user=caller(request), item_id=_id(item_id), send_at=payload.send_at, body=payload.body
    )
    return scheduled_json(item)


@router.delete("/scheduled/{item_id}", response={204: None, **WRITE_ERRORS})
def cancel_scheduled(request: HttpRequest, item_id: str) -> Status[None]:
    scheduled.cancel_scheduled(user=caller(request), item_id=_id(item_id))
    return Status(204, None)
