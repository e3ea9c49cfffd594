"""Keeping search current: the one write path into the index.

Called by the messaging actions where they store a timeline entry, inside their
transaction, so a message is findable the moment its send commits and a send
that rolls back leaves nothing findable. One INSERT per call (plain SQL: every
message takes this path, see core/sql.py); the engine's index follows from it
in the same statement (FTS5 triggers on SQLite, a generated `tsvector` on
PostgreSQL: migrations/0002_engine.py).
"""

from __future__ import annotations

from datetime import datetime

from huddle.core import sql
from huddle.messaging.models import Entry, EntryKind
from huddle.search.models import DocumentKind

_INSERT = "INSERT INTO search_document (thread_id, entry_id, kind, text, created_at) VALUES {rows}"
# Snippets are cut with these two characters as marks (search.snippets): a
# document never holds them (they are control characters no one types).
_MARKS = str.maketrans({"\x01": " ", "\x02": " "})

Document = tuple[int, int, str, str, datetime]


def _add(documents: list[Document]) -> None:
    if not documents:
        return
    params: list[object] = []
    for thread_id, entry_id, kind, text, at in documents:
        params += (thread_id, entry_id, kind, text.translate(_MARKS), sql.db_time(at))
    rows = ", ".join(["(%s, %s, %s, %s, %s)"] * len(documents))
    sql.execute(_INSERT.format(rows=rows), params)


def index_entry(entry: Entry, *, subject: str = "") -> None:
    """Make a stored entry findable: a message's body or a header change's new
    subject. `subject` is given with a thread's first message: the subject it
    was sent with, found at that message."""
    documents: list[Document] = []
    if entry.kind == EntryKind.HEADER_CHANGED:
        documents.append(
            (entry.thread_id, entry.pk, DocumentKind.SUBJECT, entry.new_subject, entry.created_at)
        )
    else:
        if subject:
            documents.append(
                (entry.thread_id, entry.pk, DocumentKind.SUBJECT, subject, entry.created_at)
            )
        if entry.body:
            documents.append(
                (entry.thread_id, entry.pk, DocumentKind.MESSAGE, entry.body, entry.created_at)
            )
    _add(documents)


def index_attachments(entry: Entry, names: list[str]) -> None:
    """Make a message's files findable by their names (one INSERT, none without
    files); a result opens at `entry`, the message they were sent with. Called
    in the transaction that attaches them."""
    _add([(entry.thread_id, entry.pk, DocumentKind.ATTACHMENT, n, entry.created_at) for n in names])


_DELETE = "DELETE FROM search_document WHERE entry_id = %s AND kind IN ({kinds})"


def message_changed(entry: Entry) -> None:
    """An edit or a removal (conversation, F19), in its transaction: search finds
    the message's text as it is now; a removed message and its files no more.
    Earlier versions stay in the record (EntryVersion), not in search."""
    if entry.removed_at is not None:
        kinds = [DocumentKind.MESSAGE, DocumentKind.ATTACHMENT]
    else:
        kinds = [DocumentKind.MESSAGE]
    sql.execute(_DELETE.format(kinds=", ".join(["%s"] * len(kinds))), [entry.pk, *kinds])
    if entry.removed_at is None and entry.body:
        _add([(entry.thread_id, entry.pk, DocumentKind.MESSAGE, entry.body, entry.created_at)])


def on_entry_stored(sender: object, *, entry: Entry, subject: str, **kwargs: object) -> None:
    """`messaging.signals.entry_stored`."""
    index_entry(entry, subject=subject)


def on_files_attached(sender: object, *, entry: Entry, names: list[str], **kwargs: object) -> None:
    """`messaging.signals.files_attached`."""
    index_attachments(entry, names)


def on_message_changed(sender: object, *, entry: Entry, **kwargs: object) -> None:
    """`messaging.signals.message_changed`."""
    message_changed(entry)
