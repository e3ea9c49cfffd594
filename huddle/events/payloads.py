"""What each live event says (API.md, "Live events"), and who may see which entries.

Values are dumped as the API dumps them (ids as strings, times through
DjangoJSONEncoder, see `sse`).

Shared by the publisher (live events, after a commit) and the stream's replay
(Last-Event-ID), so both say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from huddle.accounts.models import User
from huddle.core import sql
from huddle.messaging.access import enabled_views, views_enabled
from huddle.messaging.models import Entry, EntryKind, Participant, View
from huddle.messaging.queries import is_archived
from huddle.practices.models import Practice

# At most this many entries are replayed on one connection; a client further
# behind gets them on its next connection (the stream ends after a full batch).
# Only entries of the last REPLAY_HOURS are replayed: older history is read
# through the threads' pages and API, one thread at a time. Every replay is
# audited (opening.py).
REPLAY_MAX = 100
REPLAY_HOURS = 24


def entry_event(entry: Entry) -> tuple[str, dict[str, Any]]:
    """`message` or `header_changed`, for everyone on the thread alike: what
    `schemas.entry_out` dumps (ids as strings), built directly."""
    author = {"id": str(entry.author.pk), "name": entry.author.name}
    if entry.kind == EntryKind.HEADER_CHANGED:
        return "header_changed", {
            "thread_id": str(entry.thread_id),
            "id": str(entry.pk),
            "by": author,
            "from": entry.old_subject,
            "to": entry.new_subject,
            "at": entry.created_at,
        }
    message = {
        "id": str(entry.pk),
        "author": author,
        "body": entry.body,
        "sent_at": entry.created_at,
    }
    return "message", {"thread_id": str(entry.thread_id), "message": message}


def state_event(participation: Participant, cutoff: datetime) -> dict[str, Any]:
    """`thread_state`: one person's own state of one thread, as `state_out` dumps
    it (built directly: a message to N people builds N of these after its commit)."""
    return {
        "thread_id": str(participation.thread_id),
        "archived": is_archived(participation, cutoff),
        "deleted": participation.deleted,
        "unread_count": participation.unread_count,
    }


# Everyone who may hear of a new message on a thread (active, not deleted it),
# with their own state of it and their unread totals in each view: one statement,
# after the commit, in the order of the thread's unique index (no sorting, no
# grouping); each total is read from the partial index `participant_unread`
# (user, view, unread_count) alone.
_MESSAGE_STATES = (
    "SELECT p.user_id, p.unread_count, p.archived OR p.activity_at < %s,"
    " (SELECT COALESCE(SUM(o.unread_count), 0) FROM messaging_participant o"
    " WHERE o.user_id = p.user_id AND o.view = %s AND o.unread_count > 0 AND NOT o.deleted),"
    " (SELECT COALESCE(SUM(o.unread_count), 0) FROM messaging_participant o"
    " WHERE o.user_id = p.user_id AND o.view = %s AND o.unread_count > 0 AND NOT o.deleted)"
    " FROM messaging_participant p JOIN accounts_user u ON u.id = p.user_id"
    " WHERE p.thread_id = %s AND NOT p.deleted AND u.is_active ORDER BY p.user_id"
)

UserStates = list[tuple[int, dict[str, Any], dict[str, int]]]


def message_states(thread_id: int, practice: Practice, now: datetime) -> UserStates:
    """For each person on the thread who may see it now, by user id: their
    `thread_state` and their `unread` (as `state_event` and `unread_by_user`
    say them)."""
    views = enabled_views(practice)
    if not views:
        return []
    cutoff = now - timedelta(days=practice.auto_archive_days)
    rows = sql.fetch_all(
        _MESSAGE_STATES,
        (sql.db_time(cutoff), View.PRACTICE.value, View.CLIENTS.value, thread_id),
    )
    # A view turned off counts nothing (only Practice Messaging can be off alone).
    practice_on = View.PRACTICE in views
    key = str(thread_id)
    return [
        (
            user_id,
            {
                "thread_id": key,
                "archived": bool(archived),
                "deleted": False,
                "unread_count": unread,
            },
            {"practice": int(in_practice) if practice_on else 0, "clients": int(in_clients)},
        )
        for user_id, unread, archived, in_practice, in_clients in rows
    ]


def visible_entries(user: User) -> QuerySet[Entry]:
    """Every entry of the threads `user` may see now: those they are on and have
    not deleted, in the views their practice has on."""
    return Entry.objects.filter(
        thread__practice_id=user.practice_id,
        thread__participants__user=user,
        thread__participants__deleted=False,
        thread__participants__view__in=enabled_views(user.practice),
    )


def replay(user: User, after: int, late: Sequence[int] = ()) -> list[Entry]:
    """Entries after `after` (and the `late` ones at or below it), oldest first,
    at most REPLAY_MAX (+1 to tell more exist)."""
    wanted = Q(pk__gt=after) | Q(pk__in=list(late)) if late else Q(pk__gt=after)
    since = timezone.now() - timedelta(hours=REPLAY_HOURS)
    return list(
        visible_entries(user)
        .filter(wanted, created_at__gte=since)
        .exclude(kind=EntryKind.AUTO_REPLY)  # automatic notices are not live events
        .select_related("author")
        .order_by("pk")[: REPLAY_MAX + 1]
    )


def latest_entry_id(user: User) -> int:
    """The id a fresh stream starts from: the newest entry the user may see."""
    found = visible_entries(user).aggregate(latest=Max("pk"))["latest"]
    return int(found or 0)


# One person's place on a thread, their practice's switches and their unread
# totals: one statement (`state_committed`).
_STATE = (
    "SELECT p.user_id, p.thread_id, p.view, p.unread_count, p.archived, p.deleted,"
    " p.activity_at, pr.secure_messaging_enabled, pr.practice_messaging_enabled,"
    " pr.auto_archive_days,"
    " (SELECT COALESCE(SUM(o.unread_count), 0) FROM messaging_participant o"
    " WHERE o.user_id = p.user_id AND o.view = %s AND o.unread_count > 0 AND NOT o.deleted),"
    " (SELECT COALESCE(SUM(o.unread_count), 0) FROM messaging_participant o"
    " WHERE o.user_id = p.user_id AND o.view = %s AND o.unread_count > 0 AND NOT o.deleted)"
    " FROM messaging_participant p"
    " JOIN accounts_user u ON u.id = p.user_id"
    " JOIN practices_practice pr ON pr.id = u.practice_id"
    " WHERE p.id = %s AND u.is_active"
)


def participant_state(
    participant_id: int, now: datetime
) -> tuple[int, dict[str, Any], dict[str, int]] | None:
    """One person's `thread_state` and `unread`, or None when they may not hear
    of it (an inactive account, a view their practice has off)."""
    row = sql.fetch_one(_STATE, [View.PRACTICE.value, View.CLIENTS.value, participant_id])
    if row is None:
        return None
    user_id, thread_id, view, unread, archived, deleted, activity_at, *rest = row
    secure_messaging, practice_messaging, days, in_practice, in_clients = rest
    views = views_enabled(bool(secure_messaging), bool(practice_messaging))
    if view not in views:
        return None
    cutoff = now - timedelta(days=days)
    state = {
        "thread_id": str(thread_id),
        "archived": bool(archived) or sql.aware(activity_at) < cutoff,
        "deleted": bool(deleted),
        "unread_count": unread,
    }
    practice_total = int(in_practice) if View.PRACTICE in views else 0
    return user_id, state, {"practice": practice_total, "clients": int(in_clients)}
