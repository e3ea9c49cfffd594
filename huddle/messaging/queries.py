"""Reading threads: the inbox, unread counts, a thread's timeline, recipients.

Each answers in a fixed number of SQL statements, whatever the number of
threads, messages or participants.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from huddle.accounts.models import Kind, User, with_roles
from huddle.attachments import linking as attachments
from huddle.clients.models import Client
from huddle.core import sql
from huddle.core.errors import InvalidInput
from huddle.core.pagination import check_limit, decode_time_cursor, encode_time_cursor
from huddle.messaging import rules
from huddle.messaging.access import enabled_views
from huddle.messaging.audiences import WIDE_ROLES, visible_clients
from huddle.messaging.groups import Group, staff_groups
from huddle.messaging.models import Audience, Entry, Participant, Thread, View
from huddle.practices.models import Practice

FOLDERS = ("inbox", "archived")


def archive_cutoff(user: User, now: datetime | None = None) -> datetime:
    """Threads with no activity since this moment are auto-archived (F7)."""
    return (now or timezone.now()) - timedelta(days=user.practice.auto_archive_days)


def is_archived(participation: Participant | InboxRow, cutoff: datetime) -> bool:
    return participation.archived or participation.activity_at < cutoff


# The inbox and the badge are read on every page: plain SQL (core/sql.py) into the
# small objects below, not model instances (docs/PERFORMANCE.md).


@dataclass(frozen=True, slots=True)
class Name:
    """A person as a list shows them."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class LastEntry:
    author: Name
    body: str
    created_at: datetime

    @property
    def author_id(self) -> int:
        return self.author.id


@dataclass(slots=True)
class InboxThread:
    pk: int
    practice_id: int
    view: str
    client_id: int | None
    audience: str
    subject: str
    group_names: list[str]
    last_message: LastEntry | None
    # Everyone on the thread, by name then id (filled in by `inbox`).
    participants: list[Name]

    def get_audience_display(self) -> str:
        return str(dict(Audience.choices).get(self.audience, self.audience))


@dataclass(slots=True)
class InboxRow:
    """The reader's participation in one listed thread."""

    pk: int
    thread_id: int
    unread_count: int
    archived: bool
    activity_at: datetime
    thread: InboxThread
    # conversation (F20): urgent messages here the reader has not acknowledged.
    awaiting_ack: int = 0


@dataclass
class InboxPage:
    items: list[InboxRow]
    next_cursor: str | None
    cutoff: datetime


# The order and conditions match the partial index `participant_inbox`
# (user, view, -activity_at, -id) WHERE NOT deleted, which the page walks.
_PAGE = """
SELECT p.id, p.thread_id, p.unread_count, p.archived, p.activity_at,
       t.practice_id, t.view, t.client_id, t.audience, t.subject, t.group_names,
       e.id, e.body, e.created_at, e.author_id, a.name, p.awaiting_ack
FROM messaging_participant p
JOIN messaging_thread t ON t.id = p.thread_id
LEFT JOIN messaging_entry e ON e.id = t.last_message_id
LEFT JOIN accounts_user a ON a.id = e.author_id
WHERE p.user_id = %s AND p.view = %s AND NOT p.deleted {where}
ORDER BY p.activity_at DESC, p.id DESC
LIMIT %s
"""
IN_FOLDER = {"inbox": " AND " + rules.IN_INBOX, "archived": " AND " + rules.ARCHIVED}
_AFTER = " AND p.activity_at <= %s AND (p.activity_at < %s OR p.id < %s)"

_PEOPLE = """
SELECT p.thread_id, u.id, u.name
FROM messaging_participant p
JOIN accounts_user u ON u.id = p.user_id
WHERE p.thread_id IN ({ids})
ORDER BY u.name, u.id
"""


def _group_names(value: object) -> list[str]:
    return list(sql.from_db(Thread._meta.get_field("group_names"), value) or [])


def _inbox_row(row: tuple[Any, ...]) -> InboxRow:
    (pk, thread_id, unread, archived, activity_at) = row[:5]
    (practice_id, view, client_id, audience, subject, groups) = row[5:11]
    (entry_id, body, sent_at, author_id, author_name, awaiting_ack) = row[11:]
    last = None
    if entry_id is not None:
        last = LastEntry(Name(author_id, author_name), body, sql.aware(sent_at))
    thread = InboxThread(
        thread_id, practice_id, view, client_id, audience, subject, _group_names(groups), last, []
    )
    at = sql.aware(activity_at)
    return InboxRow(pk, thread_id, unread, bool(archived), at, thread, awaiting_ack)


def _page_rows(
    user: User,
    view: str,
    folder: str,
    cursor: str | None,
    cutoff: datetime,
    size: int,
    narrow: tuple[str, Sequence[object]],
) -> list[InboxRow]:
    where = IN_FOLDER[folder] + narrow[0]
    params: list[Any] = [user.pk, view, sql.db_time(cutoff), *narrow[1]]
    if cursor:
        at, pk = decode_time_cursor(cursor)
        where += _AFTER
        params += [sql.db_time(at), sql.db_time(at), pk]
    rows = sql.fetch_all(_PAGE.format(where=where), [*params, size + 1])
    return [_inbox_row(row) for row in rows]


def _add_participants(threads: list[InboxThread]) -> None:
    """Everyone on each of `threads`, in one statement."""
    if not threads:
        return
    by_id = {t.pk: t for t in threads}
    people = sql.fetch_all(_PEOPLE.format(ids=sql.placeholders(len(by_id))), list(by_id))
    for thread_id, user_id, name in people:
        by_id[thread_id].participants.append(Name(user_id, name))


def inbox(
    user: User,
    *,
    view: str = View.PRACTICE,
    folder: str = "inbox",
    cursor: str | None = None,
    limit: int | None = None,
    narrow: tuple[str, Sequence[object]] = ("", ()),
) -> InboxPage:
    """One page of a folder, newest activity first (2 statements). `narrow` adds
    conditions over `p` and `t` with their parameters (the inbox filters,
    filters.Filters.sql)."""
    if view not in View.values:
        raise InvalidInput.field("view", "Choose the practice or clients view.")
    if folder not in FOLDERS:
        raise InvalidInput.field("folder", "Choose the inbox or archived folder.")
    size = check_limit(limit)
    cutoff = archive_cutoff(user)
    page = _page_rows(user, view, folder, cursor, cutoff, size, narrow)
    next_cursor = None
    if len(page) > size:
        page = page[:size]
        next_cursor = encode_time_cursor(page[-1].activity_at, page[-1].pk)
    _add_participants([row.thread for row in page])
    return InboxPage(items=page, next_cursor=next_cursor, cutoff=cutoff)


# The badge's numbers of several people: the partial index `participant_unread`
# (user, view, unread_count) alone answers it.
_UNREAD = (
    "SELECT user_id, view, SUM(unread_count) FROM messaging_participant"
    " WHERE user_id IN ({users}) AND unread_count > 0 AND NOT deleted AND view IN ({views})"
    " GROUP BY user_id, view"
)


def unread_by_user(practice: Practice, user_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """New messages per view for several people of one practice (1 statement); a
    view the practice has switched off counts none."""
    ids = list(dict.fromkeys(user_ids))
    counts = {pk: {"practice": 0, "clients": 0} for pk in ids}
    views = enabled_views(practice)
    if not ids or not views:
        return counts
    statement = _UNREAD.format(users=sql.placeholders(len(ids)), views=sql.placeholders(len(views)))
    for user_id, view, total in sql.fetch_all(statement, [*ids, *(str(v) for v in views)]):
        counts[user_id][view] = int(total)
    return counts


def unread_counts(user: User) -> dict[str, int]:
    """New messages per view, for the header badge and the view toggle (1 statement)."""
    return unread_by_user(user.practice, [user.pk])[user.pk]


def thread_participants(participation: Participant) -> list[Participant]:
    return list(
        Participant.objects.filter(thread_id=participation.thread_id)
        .select_related("user")
        .order_by("user__name", "user_id")
    )


def timeline(participation: Participant) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(thread_id=participation.thread_id)
        .select_related("author", "notice__user")  # notice: availability's auto replies
        .prefetch_related(attachments.loaded())
        .order_by("pk")
    )


@dataclass
class Recipients:
    users: list[User]
    groups: list[Group]


def recipients(user: User, *, q: str = "", limit: int = 20) -> Recipients:
    """People and staff groups the caller may address, matching `q`."""
    q = " ".join(q.split())
    if "\x00" in q:
        # No name holds a NUL, and PostgreSQL cannot even compare one (a 500).
        return Recipients(users=[], groups=[])
    people = User.objects.filter(
        practice_id=user.practice_id, kind=Kind.STAFF, is_active=True
    ).exclude(pk=user.pk)
    if q:
        people = people.filter(name__icontains=q)
    found = list(people.prefetch_related(with_roles()).order_by("name", "pk")[:limit])
    groups = [g for g in staff_groups(user.practice) if q.lower() in g.name.lower()]
    return Recipients(users=found, groups=groups)


def client_recipients(
    staff: User, *, q: str = "", limit: int = 20
) -> list[tuple[Client, list[str]]]:
    """Clients `staff` may write to, matching `q`, with the audiences they may use."""
    q = " ".join(q.split())
    if "\x00" in q:
        return []
    clients = visible_clients(staff).select_related("user").prefetch_related("clinicians")
    if q:
        clients = clients.filter(user__name__icontains=q)
    found = list(clients.order_by("user__name", "pk")[:limit])
    roles = staff.role_set()
    result = []
    for client in found:
        audiences = []
        for audience, wide in WIDE_ROLES.items():
            if roles & {r.value for r in wide} or (
                audience == Audience.CLINICAL and staff in client.clinicians.all()
            ):
                audiences.append(audience)
        result.append((client, audiences))
    return result
