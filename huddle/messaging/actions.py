"""Every change to threads goes through these functions (STYLE.md 1).

Writers that touch many participants' rows lock the thread row first, so
concurrent replies queue on PostgreSQL instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from huddle import audit
from huddle.accounts.models import User
from huddle.attachments import linking as attachments
from huddle.availability import client_mode
from huddle.clients.models import Client
from huddle.core import ratelimit, sql
from huddle.core.errors import InvalidInput, NotFound
from huddle.messaging import drafts, effects, signals
from huddle.messaging.access import require_view_enabled
from huddle.messaging.audiences import audience_staff, staff_audiences
from huddle.messaging.checks import check_audience, check_body, check_subject, resolve_recipients
from huddle.messaging.models import Audience, Entry, EntryKind, Participant, Thread, View


def start_thread(
    *,
    sender: User,
    user_ids: Iterable[int] = (),
    group_keys: Iterable[str] = (),
    subject: str,
    body: str,
    attachment_ids: Iterable[int] = (),
    draft_id: int | None = None,
) -> Thread:
    """Send Message: a new thread to people and staff groups, resolved now; the
    draft it was written in (`draft_id`, the sender's) goes with the send.

    The checks, the recipients and the rate limit (a Redis round trip) come
    before the transaction: on SQLite a transaction holds the one writer's lock
    from its first moment, and every other sender waits for it (PERFORMANCE.md)."""
    require_view_enabled(sender, View.PRACTICE)
    subject = check_subject(subject)
    attachment_ids = list(attachment_ids)
    body = check_body(body, files=attachment_ids)
    recipients, group_names = resolve_recipients(
        sender=sender, user_ids=user_ids, group_keys=group_keys
    )
    ratelimit.check_new_thread(sender)
    with transaction.atomic():
        now = timezone.now()
        thread = Thread(
            practice_id=sender.practice_id,
            view=View.PRACTICE,
            subject=subject,
            group_names=group_names,
            created_by=sender,
            created_at=now,
            last_message_at=now,
        )
        entry = Entry(
            thread=thread, kind=EntryKind.MESSAGE, author=sender, body=body, created_at=now
        )
        _insert_new_thread(thread, entry, [sender.pk, *(pk for pk, _ in recipients)])
        _sent(entry, attachment_ids, draft_id)
    return thread


def _sent(entry: Entry, attachment_ids: list[int], draft_id: int | None) -> None:
    """A new thread's first message, stored: its files, its draft gone, and what
    a send sets off (effects.message_sent)."""
    attachments.attach(entry=entry, uploader=entry.author, ids=attachment_ids)
    _files_attached(entry)
    drafts.discard_thread_draft(user_id=entry.author_id, draft_id=draft_id)
    effects.message_sent(entry)


# A new thread's writes, in plain SQL (core.sql): a send to All Staff writes a
# Participant row for each of hundreds of people, in one multi-row INSERT.
_INSERT_THREAD = (
    "INSERT INTO messaging_thread (practice_id, view, client_id, audience, subject,"
    " group_names, created_by_id, created_at, last_message_id, last_message_at)"
    " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, %s) RETURNING id"
)
_SET_LAST_MESSAGE = "UPDATE messaging_thread SET last_message_id = %s WHERE id = %s"
_INSERT_PARTICIPANTS = (
    "INSERT INTO messaging_participant"
    " (thread_id, user_id, view, unread_count, archived, deleted, activity_at,"
    " read_up_to, read_at) VALUES {rows}"
)


def _insert_new_thread(thread: Thread, entry: Entry, people: list[int]) -> None:
    """Store a new thread (of either view), its first message and a place for
    each of `people`: read by its sender, new for everyone else. The objects get
    their ids. A send to All Staff writes hundreds of places in one INSERT."""
    at = sql.db_time(thread.created_at)
    group_names = connection.ops.adapt_json_value(thread.group_names, None)
    columns = (thread.practice_id, thread.view, thread.client_id, thread.audience)
    thread.pk = sql.insert(
        _INSERT_THREAD, (*columns, thread.subject, group_names, entry.author_id, at, at)
    )
    sql.mark_stored(thread)
    entry.thread = thread
    entry.pk = sql.insert(_INSERT_ENTRY, (thread.pk, entry.kind, entry.author_id, entry.body, at))
    sql.mark_stored(entry)
    sql.execute(_SET_LAST_MESSAGE, (entry.pk, thread.pk))
    thread.last_message = entry
    signals.entry_stored.send(sender=Entry, entry=entry, subject=thread.subject)
    params: list[object] = []
    for pk in people:
        # The sender has read their own message (read receipts, F17).
        if pk == entry.author_id:
            params += (thread.pk, pk, thread.view, 0, False, False, at, entry.pk, at)
        else:
            params += (thread.pk, pk, thread.view, 1, False, False, at, None, None)
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(people))
    sql.execute(_INSERT_PARTICIPANTS.format(rows=rows), params)


def start_client_thread(
    *,
    sender: User,
    client: Client,
    audience: str | None,
    subject: str,
    body: str,
    attachment_ids: Iterable[int] = (),
    draft_id: int | None = None,
) -> Thread:
    """A client thread: from a client to one of the practice's audiences, or from
    a staff member who may see the client to that client (F10). As with
    `start_thread`, the checks and the rate limit (a Redis round trip) come before
    the transaction (on SQLite it holds the one writer's lock from its first
    moment), and the same plain-SQL writes store it."""
    require_view_enabled(sender, View.CLIENTS)
    if sender.is_staff_member:
        allowed = staff_audiences(sender, client)
        if not allowed:
            raise NotFound  # a client they may not see does not exist for them
        audience = audience or allowed[0]
        if check_audience(audience) not in allowed:
            raise InvalidInput.field("audience", "You may not write to this client for this team.")
    else:
        audience = check_audience(audience)
    client_mode.require_may_start(client, by_staff=sender.is_staff_member)
    subject = check_subject(subject)
    attachment_ids = list(attachment_ids)
    body = check_body(body, files=attachment_ids)
    staff = list(audience_staff(client, audience))
    if not staff:
        raise InvalidInput.field("audience", "Nobody at the practice can answer this team yet.")
    ratelimit.check_new_thread(sender)
    with transaction.atomic():
        now = timezone.now()
        thread = Thread(
            practice_id=client.practice_id,
            view=View.CLIENTS,
            client=client,
            audience=audience,
            subject=subject,
            group_names=[Audience(audience).label],
            created_by=sender,
            created_at=now,
            last_message_at=now,
        )
        entry = Entry(
            thread=thread, kind=EntryKind.MESSAGE, author=sender, body=body, created_at=now
        )
        people = list(dict.fromkeys([*(u.pk for u in staff), client.pk]))
        _insert_new_thread(thread, entry, people)
        _sent(entry, attachment_ids, draft_id)
    return thread


_LOCK = "SELECT id FROM messaging_thread WHERE id = %s FOR UPDATE"


def lock_thread(thread_id: int) -> None:
    """Inside a transaction: hold the thread's row until it ends, so concurrent
    changes to one thread queue here instead of deadlocking on its participants'
    rows. SQLite needs no lock: its transactions begin IMMEDIATE (one writer)."""
    if connection.vendor != "sqlite":
        sql.fetch_one(_LOCK, (thread_id,))


# A reply's writes, in plain SQL (core.sql): every message of a busy thread runs them.
_INSERT_ENTRY = (
    "INSERT INTO messaging_entry"
    " (thread_id, kind, author_id, body, old_subject, new_subject, created_at)"
    " VALUES (%s, %s, %s, %s, '', '', %s) RETURNING id"
)
_MOVE_THREAD = (
    "UPDATE messaging_thread SET last_message_id = %s, last_message_at = %s WHERE id = %s"
)
# New for everyone but the author (who has read it: read receipts, F17), and back
# in everyone's Inbox: one UPDATE.
_BUMP_PARTICIPANTS = (
    "UPDATE messaging_participant SET"
    " unread_count = CASE WHEN user_id = %s THEN 0 ELSE unread_count + 1 END,"
    " read_up_to = CASE WHEN user_id = %s THEN %s ELSE read_up_to END,"
    " read_at = CASE WHEN user_id = %s THEN %s ELSE read_at END,"
    " archived = %s, deleted = %s, activity_at = %s"
    " WHERE thread_id = %s"
)


def reply(
    *, author: User, participation: Participant, body: str, attachment_ids: Iterable[int] = ()
) -> Entry:
    """A reply brings the thread back to every participant's Inbox (out of
    Archived, and back from Deleted) and is new for everyone but its author.

    The check and the rate limit (a Redis round trip) come before the
    transaction, which on SQLite holds the one writer's lock throughout."""
    attachment_ids = list(attachment_ids)
    body = check_body(body, files=attachment_ids)
    if not author.is_staff_member:
        client_mode.require_may_reply(participation.thread.client_id)
    ratelimit.check_message(author)
    with transaction.atomic():
        return _store_reply(author, participation.thread, body, attachment_ids)


def _store_reply(author: User, thread: Thread, body: str, attachment_ids: list[int]) -> Entry:
    lock_thread(thread.pk)
    now = timezone.now()
    at = sql.db_time(now)
    entry = Entry(thread=thread, kind=EntryKind.MESSAGE, author=author, body=body, created_at=now)
    entry.pk = sql.insert(_INSERT_ENTRY, (thread.pk, entry.kind, author.pk, body, at))
    sql.mark_stored(entry)
    sql.execute(_MOVE_THREAD, (entry.pk, at, thread.pk))
    sql.execute(
        _BUMP_PARTICIPANTS,
        (author.pk, author.pk, entry.pk, author.pk, at, False, False, at, thread.pk),
    )
    thread.last_message_id = entry.pk
    thread.last_message_at = now
    attachments.attach(entry=entry, uploader=author, ids=attachment_ids)
    _files_attached(entry)
    signals.entry_stored.send(sender=Entry, entry=entry, subject="")
    drafts.discard_reply_draft(user_id=author.pk, thread_id=thread.pk)
    effects.message_sent(entry)
    return entry


@transaction.atomic
def edit_header(*, editor: User, participation: Participant, subject: str) -> Entry:
    """Save Changes: the new header, and a notice in the timeline (never unread)."""
    subject = check_subject(subject)
    ratelimit.check_write(editor)  # security: one write budget (core/ratelimit.py)
    lock_thread(participation.thread_id)
    thread = Thread.objects.get(pk=participation.thread_id)
    if subject == thread.subject:
        raise InvalidInput.field("subject", "This is already the thread's header.")
    entry = Entry.objects.create(
        thread=thread,
        kind=EntryKind.HEADER_CHANGED,
        author=editor,
        old_subject=thread.subject,
        new_subject=subject,
        created_at=timezone.now(),
    )
    Thread.objects.filter(pk=thread.pk).update(subject=subject)
    signals.entry_stored.send(sender=Entry, entry=entry, subject="")
    participation.thread.subject = subject
    effects.header_changed(entry)
    return entry


def _files_attached(entry: Entry) -> None:
    """Tell search a message's files (their names), once they are attached."""
    names = [a.name for a in attachments.of(entry)]
    signals.files_attached.send(sender=Entry, entry=entry, names=names)


def _audit(action: audit.Action, participation: Participant) -> None:
    audit.record_thread(action, actor=participation.user, thread_id=participation.thread_id)


def _set(participation: Participant, **values: object) -> Participant:
    Participant.objects.filter(pk=participation.pk).update(**values)
    for name, value in values.items():
        setattr(participation, name, value)
    effects.state_changed(participation)
    return participation


@transaction.atomic
def mark_read(*, participation: Participant) -> Participant:
    """Read: nothing new any more, and the read position (F17) at the latest message."""
    return _read(participation)


def _read(participation: Participant) -> Participant:
    latest = participation.thread.last_message_id
    if participation.unread_count == 0 and participation.read_up_to == latest:
        return participation
    from huddle.messaging import receipts

    now = timezone.now()
    receipts.read_changed(participation, latest, now)
    return _set(participation, unread_count=0, read_up_to=latest, read_at=now)


@transaction.atomic
def open_thread(*, participation: Participant) -> Participant:
    """Someone opens a thread (its page, or `GET /api/v1/threads/{id}`): it is read,
    and the audit log says who viewed it — together, in one transaction."""
    participation = _read(participation)
    audit.record_thread(
        audit.Action.THREAD_VIEWED, actor=participation.user, thread_id=participation.thread_id
    )
    return participation


@transaction.atomic
def mark_unread(*, participation: Participant) -> Participant:
    ratelimit.check_write(participation.user)
    return _set(participation, unread_count=max(1, participation.unread_count))


@transaction.atomic
def archive(*, participation: Participant) -> Participant:
    ratelimit.check_write(participation.user)
    _audit(audit.Action.THREAD_ARCHIVED, participation)
    return _set(participation, archived=True)


@transaction.atomic
def unarchive(*, participation: Participant, now: datetime | None = None) -> Participant:
    """Move back to the Inbox; the thread then stays out of auto-archive for a
    whole period again. A thread already in the Inbox keeps its place."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=participation.user.practice.auto_archive_days)
    if not participation.archived and participation.activity_at >= cutoff:
        return participation
    ratelimit.check_write(participation.user)
    _audit(audit.Action.THREAD_UNARCHIVED, participation)
    return _set(participation, archived=False, activity_at=now)


@transaction.atomic
def delete_for_user(*, participation: Participant) -> Participant:
    """Gone from all of this person's folders until someone replies."""
    ratelimit.check_write(participation.user)
    _audit(audit.Action.THREAD_DELETED, participation)
    return _set(participation, deleted=True, archived=False, unread_count=0)
