"""Reading threads: the inbox, unread counts, a thread's timeline, recipients.

Each answers in a fixed number of SQL statements, whatever the number of
threads, messages or participants.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from huddle.accounts.models import Kind, User
from huddle.clients.models import Client
from huddle.core.errors import InvalidInput
from huddle.core.pagination import check_limit, decode_time_cursor, encode_time_cursor
from huddle.messaging.audiences import WIDE_ROLES, visible_clients
from huddle.messaging.groups import Group, staff_groups
from huddle.messaging.models import Audience, Entry, Participant, View

FOLDERS = ("inbox", "archived")


def archive_cutoff(user: User, now: datetime | None = None) -> datetime:
    """Threads with no activity since this moment are auto-archived (F7)."""
    return (now or timezone.now()) - timedelta(days=user.practice.auto_archive_days)


def is_archived(participation: Participant, cutoff: datetime) -> bool:
    return participation.archived or participation.activity_at < cutoff


@dataclass
class InboxPage:
    items: list[Participant]
    next_cursor: str | None
    cutoff: datetime


def _participants_prefetch() -> Prefetch[str]:
    # A list shows each participant's name only: 50 threads of a busy practice
    # name hundreds of people, and building full User objects was most of the page.
    people = Participant.objects.select_related("user").only("thread_id", "user_id", "user__name")
    return Prefetch("thread__participants", queryset=people.order_by("user__name", "user_id"))


def inbox(
    user: User,
    *,
    view: str = View.PRACTICE,
    folder: str = "inbox",
    cursor: str | None = None,
    limit: int | None = None,
) -> InboxPage:
    """One page of a folder, newest activity first (3 statements)."""
    if view not in View.values:
        raise InvalidInput.field("view", "Choose the practice or clients view.")
    if folder not in FOLDERS:
        raise InvalidInput.field("folder", "Choose the inbox or archived folder.")
    size = check_limit(limit)
    cutoff = archive_cutoff(user)
    rows = Participant.objects.filter(user=user, view=view, deleted=False)
    if folder == "inbox":
        rows = rows.filter(archived=False, activity_at__gte=cutoff)
    else:
        rows = rows.filter(Q(archived=True) | Q(activity_at__lt=cutoff))
    if cursor:
        at, pk = decode_time_cursor(cursor)
        rows = rows.filter(Q(activity_at__lt=at) | Q(activity_at=at, pk__lt=pk))
    page = list(
        rows.select_related("thread__last_message__author")
        .prefetch_related(_participants_prefetch())
        .order_by("-activity_at", "-pk")[: size + 1]
    )
    for row in page:
        row.user = user  # the reader, already loaded
    next_cursor = None
    if len(page) > size:
        page = page[:size]
        next_cursor = encode_time_cursor(page[-1].activity_at, page[-1].pk)
    return InboxPage(items=page, next_cursor=next_cursor, cutoff=cutoff)


def unread_counts(user: User) -> dict[str, int]:
    """New messages per view, for the header badge and the view toggle (1 statement)."""
    if not user.practice.secure_messaging_enabled:
        return {"practice": 0, "clients": 0}
    totals = Participant.objects.filter(user=user, deleted=False, unread_count__gt=0).aggregate(
        practice=Sum("unread_count", filter=Q(view=View.PRACTICE)),
        clients=Sum("unread_count", filter=Q(view=View.CLIENTS)),
    )
    counts = {"practice": totals["practice"] or 0, "clients": totals["clients"] or 0}
    if not user.practice.practice_messaging_enabled:
        counts["practice"] = 0
    return counts


def thread_participants(participation: Participant) -> list[Participant]:
    return list(
        Participant.objects.filter(thread_id=participation.thread_id)
        .select_related("user")
        .order_by("user__name", "user_id")
    )


def timeline(participation: Participant) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(thread_id=participation.thread_id)
        .select_related("author")
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
    found = list(people.prefetch_related("roles").order_by("name", "pk")[:limit])
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
