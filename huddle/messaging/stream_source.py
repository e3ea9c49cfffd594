"""Messaging's history for the live streams (`events.source.Source`): what a
stream replays after Last-Event-ID, where a fresh one starts, and what the
sweep hands a stream whose publish never came (docs/EVENTS.md). Who may see an
entry is decided here, by the same rules as the pages: the threads one is on and
has not deleted, in the views one's practice has on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from huddle import audit
from huddle.accounts.models import User
from huddle.core import sql
from huddle.events.source import Missed, Replayed
from huddle.messaging import live
from huddle.messaging.access import enabled_views
from huddle.messaging.models import Entry, EntryKind
from huddle.messaging.queries import unread_by_user

# Only entries of the last REPLAY_HOURS are replayed: older history is read
# through the threads' pages and API, one thread at a time. Every replay is
# audited.
REPLAY_HOURS = 24

# How many ids go in one IN (...) list (SQLite allows 32,766 variables).
CHUNK = 500

_LISTENERS = (
    "SELECT e.id, p.user_id FROM messaging_entry e"
    " JOIN messaging_participant p ON p.thread_id = e.thread_id"
    " WHERE e.id IN ({entries}) AND NOT p.deleted AND p.user_id IN ({users})"
)


def visible_entries(user: User) -> QuerySet[Entry]:
    """Every entry of the threads `user` may see now: those they are on and have
    not deleted, in the views their practice has on."""
    return Entry.objects.filter(
        thread__practice_id=user.practice_id,
        thread__participants__user=user,
        thread__participants__deleted=False,
        thread__participants__view__in=enabled_views(user.practice),
    )


def _replayed(entry: Entry) -> Replayed:
    event = live.entry_event(entry)
    return Replayed(entry.pk, event.name, event.data)


def record_replay(user: User, entries: Sequence[Entry]) -> None:
    """An audit row per thread whose entries a stream sent again: who, which
    thread, how many (SECURITY.md: a replay carries message text)."""
    per_thread = Counter(entry.thread_id for entry in entries)
    if per_thread:
        details = {pk: f"{n} entries" if n != 1 else "1 entry" for pk, n in per_thread.items()}
        audit.record_threads(audit.Action.HISTORY_REPLAYED, actor=user, details=details)


class MessagingSource:
    """`events.source.Source` over messaging's entries and participants."""

    def latest_id(self, user: User) -> int:
        found = visible_entries(user).aggregate(latest=Max("pk"))["latest"]
        return int(found or 0)

    def replay(self, user: User, after: int, late: Sequence[int], limit: int) -> list[Replayed]:
        wanted = Q(pk__gt=after) | Q(pk__in=list(late)) if late else Q(pk__gt=after)
        since = timezone.now() - timedelta(hours=REPLAY_HOURS)
        entries = list(
            visible_entries(user)
            .filter(wanted, created_at__gte=since)
            .exclude(kind=EntryKind.AUTO_REPLY)  # automatic notices are not live events
            .select_related("author")
            .order_by("pk")[: limit + 1]
        )
        record_replay(user, entries[:limit])
        return [_replayed(entry) for entry in entries]

    def unread(self, user: User) -> Mapping[str, int]:
        return unread_by_user(user.practice, [user.pk])[user.pk]

    def newest_id(self) -> int:
        return int(Entry.objects.aggregate(newest=Max("pk"))["newest"] or 0)

    def ids_after(self, after: int) -> list[int]:
        return list(Entry.objects.filter(pk__gt=after).values_list("pk", flat=True))

    def listeners(self, entry_ids: Sequence[int], user_ids: Iterable[int]) -> list[tuple[int, int]]:
        entries = list(entry_ids)
        users = list(user_ids)
        pairs: list[tuple[int, int]] = []
        for start in range(0, len(users), CHUNK):
            chunk = users[start : start + CHUNK]
            statement = _LISTENERS.format(
                entries=sql.placeholders(len(entries)), users=sql.placeholders(len(chunk))
            )
            pairs += [(int(e), int(u)) for e, u in sql.fetch_all(statement, [*entries, *chunk])]
        return pairs

    def missed(self, missing: Mapping[int, set[int]]) -> list[Missed]:
        found: list[Missed] = []
        for user in User.objects.select_related("practice").filter(pk__in=list(missing)):
            entries = visible_entries(user).filter(pk__in=missing[user.pk]).select_related("author")
            events = [_replayed(entry) for entry in entries.order_by("pk")]
            if events:
                found.append(Missed(user.pk, events, self.unread(user)))
        return found


SOURCE = MessagingSource()
