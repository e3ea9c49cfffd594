"""What each live event says (API.md, "Live events"), and who may see which entries.

Values are dumped as the API dumps them (ids as strings, times through
DjangoJSONEncoder, see `sse`).

Shared by the publisher (live events, after a commit) and the stream's replay
(Last-Event-ID), so both say exactly the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum

from huddle.accounts.models import User
from huddle.messaging.models import Entry, EntryKind, Participant, View
from huddle.messaging.queries import is_archived
from huddle.messaging.schemas import entry_out
from huddle.practices.models import Practice

# At most this many entries are replayed on one connection; a client further
# behind gets them on its next connection (the stream ends after a full batch).
REPLAY_MAX = 500


def enabled_views(practice: Practice) -> list[str]:
    """The views whose events a practice's people get: none while Secure Messaging
    is off, only client threads while Practice Messaging is off (F1)."""
    if not practice.secure_messaging_enabled:
        return []
    if not practice.practice_messaging_enabled:
        return [View.CLIENTS]
    return [View.PRACTICE, View.CLIENTS]


def entry_event(entry: Entry) -> tuple[str, dict[str, Any]]:
    """`message` or `header_changed`, for everyone on the thread alike."""
    out = entry_out(entry).model_dump(by_alias=True)
    if entry.kind == EntryKind.HEADER_CHANGED:
        return "header_changed", {
            "thread_id": out["thread_id"],
            "id": out["id"],
            "by": out["by"],
            "from": out["from"],
            "to": out["to"],
            "at": out["at"],
        }
    message = {k: out[k] for k in ("id", "author", "body", "sent_at")}
    return "message", {"thread_id": out["thread_id"], "message": message}


def state_event(participation: Participant, cutoff: datetime) -> dict[str, Any]:
    """`thread_state`: one person's own state of one thread, as `state_out` dumps
    it (built directly: a message to N people builds N of these after its commit)."""
    return {
        "thread_id": str(participation.thread_id),
        "archived": is_archived(participation, cutoff),
        "deleted": participation.deleted,
        "unread_count": participation.unread_count,
    }


def unread_by_user(practice: Practice, user_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """`unread` for several people of one practice, in one statement; the same
    numbers as `messaging.queries.unread_counts`."""
    ids = list(dict.fromkeys(user_ids))
    counts = {pk: {"practice": 0, "clients": 0} for pk in ids}
    views = enabled_views(practice)
    if not ids or not views:
        return counts
    rows = (
        Participant.objects.filter(
            user_id__in=ids, deleted=False, unread_count__gt=0, view__in=views
        )
        .values("user_id")
        .annotate(
            practice=Sum("unread_count", filter=Q(view=View.PRACTICE)),
            clients=Sum("unread_count", filter=Q(view=View.CLIENTS)),
        )
    )
    for row in rows:
        counts[row["user_id"]] = {
            "practice": row["practice"] or 0,
            "clients": row["clients"] or 0,
        }
    return counts


def visible_entries(user: User) -> QuerySet[Entry]:
    """Every entry of the threads `user` may see now: those they are on and have
    not deleted, in the views their practice has on."""
    return Entry.objects.filter(
        thread__practice_id=user.practice_id,
        thread__participants__user=user,
        thread__participants__deleted=False,
        thread__participants__view__in=enabled_views(user.practice),
    )


def replay(user: User, after: int) -> list[Entry]:
    """Entries after `after`, oldest first, at most REPLAY_MAX (+1 to tell more exist)."""
    return list(
        visible_entries(user)
        .filter(pk__gt=after)
        .select_related("author")
        .order_by("pk")[: REPLAY_MAX + 1]
    )


def latest_entry_id(user: User) -> int:
    """The id a fresh stream starts from: the newest entry the user may see."""
    found = visible_entries(user).aggregate(latest=Max("pk"))["latest"]
    return int(found or 0)


def thread_states(
    practice: Practice, rows: Iterable[Participant], now: datetime
) -> list[tuple[int, dict[str, Any]]]:
    """`thread_state` for each of `rows`, as of `now`."""
    cutoff = now - timedelta(days=practice.auto_archive_days)
    return [(row.user_id, state_event(row, cutoff)) for row in rows]
