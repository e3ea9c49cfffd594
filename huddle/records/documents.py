"""A thread as a document: the same JSON in a thread export and in each
`threads/<id>.json` of a practice archive. Exactly what is stored: every
message's text as it is in the database, every header change, every person."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from huddle.accounts.models import User
from huddle.core import sql
from huddle.messaging.models import Entry, EntryKind, Participant, Thread
from huddle.records import attachments
from huddle.records.emergency import Notice

ENTRY_FIELDS = ("id", "thread_id", "kind", "author_id", "body", "old_subject", "new_subject")


def when(value: datetime) -> str:
    return sql.aware(value).isoformat()


def person(user_id: int, names: dict[int, str]) -> dict[str, Any]:
    return {"id": user_id, "name": names.get(user_id, "")}


def thread_head(thread: Thread, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": thread.pk,
        "view": thread.view,
        "client_id": thread.client_id,
        "audience": thread.audience,
        "subject": thread.subject,
        "group_names": list(thread.group_names or []),
        "created_by": person(thread.created_by_id, names),
        "created_at": when(thread.created_at),
        "last_message_at": when(thread.last_message_at),
    }


def participant_item(
    p: Participant, names: dict[int, str], kinds: dict[int, str]
) -> dict[str, Any]:
    return {
        "id": p.user_id,
        "name": names.get(p.user_id, ""),
        "kind": kinds.get(p.user_id, ""),
        "unread_count": p.unread_count,
        "archived": p.archived,
        "deleted": p.deleted,
    }


def entry_item(
    entry: Entry, names: dict[int, str], files: dict[int, list[dict[str, Any]]]
) -> dict[str, Any]:
    if entry.kind == EntryKind.HEADER_CHANGED:
        return {
            "id": entry.pk,
            "type": "header_changed",
            "by": person(entry.author_id, names),
            "from": entry.old_subject,
            "to": entry.new_subject,
            "at": when(entry.created_at),
        }
    return {
        "id": entry.pk,
        "type": "message",
        "author": person(entry.author_id, names),
        "body": entry.body,
        "at": when(entry.created_at),
        "attachments": files.get(entry.pk, []),
    }


def notice_item(notice: Notice) -> dict[str, Any]:
    return {
        "type": "emergency_access",
        "by": {"id": notice.by_id, "name": notice.by_name},
        "reason": notice.reason,
        "at": when(notice.at),
    }


def names_of(user_ids: Iterable[int]) -> tuple[dict[int, str], dict[int, str]]:
    """Names and kinds of these people (1 statement)."""
    rows = User.objects.filter(pk__in=set(user_ids)).values_list("pk", "name", "kind")
    names, kinds = {}, {}
    for pk, name, kind in rows:
        names[pk] = name
        kinds[pk] = kind
    return names, kinds


def thread_document(thread: Thread, *, with_notices: list[Notice]) -> dict[str, Any]:
    """One thread, whole, for a thread export (a few statements)."""
    participants = list(Participant.objects.filter(thread_id=thread.pk).order_by("user_id"))
    entries = list(Entry.objects.filter(thread_id=thread.pk).order_by("pk"))
    ids = {p.user_id for p in participants} | {e.author_id for e in entries}
    names, kinds = names_of(ids | {thread.created_by_id})
    files = attachments.for_entries(e.pk for e in entries)
    return {
        "thread": thread_head(thread, names),
        "participants": [participant_item(p, names, kinds) for p in participants],
        "timeline": [entry_item(e, names, files) for e in entries],
        "emergency_access": [notice_item(n) for n in with_notices],
    }


def iter_entries(thread_ids: list[int], batch: int = 2000) -> Iterator[Entry]:
    """The entries of these threads, by thread then id, read in batches (bounded memory)."""
    query = Entry.objects.filter(thread_id__in=thread_ids).order_by("thread_id", "pk")
    yield from query.only(*ENTRY_FIELDS, "created_at").iterator(chunk_size=batch)
