"""Live delivery that does not depend on the publish after a commit (issue #20).

A publish can be lost: the process dies between COMMIT and PUBLISH, the read
after the commit fails, Redis is down or was left alone for a few seconds
(core.redis). So each stream process also reads, every EVENTS_SWEEP_SECONDS,
the entries committed lately on the threads of the people it serves, and
hands each stream the ones it has not had (broker.Hub._sweep). "Lately" is
everything after the newest id seen LOOKBACK_SECONDS ago, so an entry whose
transaction took an id early and committed late (two writers on PostgreSQL)
is found too. Only entries whose publish never reached this process are looked
at further (one index range of ids per sweep otherwise). Streams drop what
they already had (Subscription.delivered), so every committed entry reaches
every open stream of its participants once.

These are sync functions for `sync_to_async`, a few statements per sweep
whatever the number of streams.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Max

from huddle.accounts.models import User
from huddle.core import sql
from huddle.events.auth import CHUNK, brief_db_call
from huddle.events.payloads import entry_event, visible_entries
from huddle.events.sse import body
from huddle.messaging.models import Entry
from huddle.messaging.queries import unread_by_user

# How far back each sweep looks: longer than any send transaction takes.
LOOKBACK_SECONDS = 10.0

_PAIRS = (
    "SELECT e.id, p.user_id FROM messaging_entry e"
    " JOIN messaging_participant p ON p.thread_id = e.thread_id"
    " WHERE e.id IN ({entries}) AND NOT p.deleted AND p.user_id IN ({users})"
)

# (user id, entry id, the event's body without its id line)
Found = list[tuple[int, int, bytes]]


@brief_db_call
def newest_entry_id() -> int:
    return int(Entry.objects.aggregate(newest=Max("pk"))["newest"] or 0)


@brief_db_call
def entry_ids_after(after: int) -> list[int]:
    """The ids of every entry after `after` (an index range of the primary key)."""
    return list(Entry.objects.filter(pk__gt=after).values_list("pk", flat=True))


@brief_db_call
def pairs_of(entry_ids: Iterable[int], user_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(entry id, user id) for these entries and those of these users on their threads."""
    entries = list(entry_ids)[:CHUNK]  # more missed at once: the next sweep has the rest
    users = list(user_ids)
    pairs: list[tuple[int, int]] = []
    for start in range(0, len(users), CHUNK):
        chunk = users[start : start + CHUNK]
        statement = _PAIRS.format(
            entries=sql.placeholders(len(entries)), users=sql.placeholders(len(chunk))
        )
        pairs += [(int(e), int(u)) for e, u in sql.fetch_all(statement, [*entries, *chunk])]
    return pairs


@brief_db_call
def missed_events(missing: dict[int, set[int]]) -> tuple[Found, list[tuple[int, bytes]]]:
    """The events of the entries each user missed (those they may see now, by the
    replay's rules), and each such user's `unread` as it is now."""
    found: Found = []
    unread: list[tuple[int, bytes]] = []
    users = User.objects.select_related("practice").filter(pk__in=list(missing))
    for user in users:
        entries = visible_entries(user).filter(pk__in=missing[user.pk]).select_related("author")
        sent = [(user.pk, e.pk, body(*entry_event(e))) for e in entries.order_by("pk")]
        if sent:
            found += sent
            counts = unread_by_user(user.practice, [user.pk])[user.pk]
            unread.append((user.pk, body("unread", counts)))
    return found, unread
