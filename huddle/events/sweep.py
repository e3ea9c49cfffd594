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

The entries and who may see them come from the event source (`source.py`);
these are sync functions for `sync_to_async`, a few statements per sweep
whatever the number of streams.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from huddle.events import source
from huddle.events.auth import brief_db_call
from huddle.events.sse import body

# How far back each sweep looks: longer than any send transaction takes.
LOOKBACK_SECONDS = 10.0

# (user id, entry id, the event's body without its id line)
Found = list[tuple[int, int, bytes]]


@brief_db_call
def newest_entry_id() -> int:
    return source.current().newest_id()


@brief_db_call
def entry_ids_after(after: int) -> list[int]:
    """The ids of every entry after `after` (an index range of the primary key)."""
    return source.current().ids_after(after)


@brief_db_call
def pairs_of(entry_ids: Sequence[int], user_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(entry id, user id) for these entries and those of these users on their threads."""
    return source.current().listeners(entry_ids, user_ids)


@brief_db_call
def missed_events(missing: dict[int, set[int]]) -> tuple[Found, list[tuple[int, bytes]]]:
    """The events of the entries each user missed (those they may see now, by the
    replay's rules), and each such user's `unread` as it is now."""
    found: Found = []
    unread: list[tuple[int, bytes]] = []
    for missed in source.current().missed(missing):
        found += [(missed.user_id, e.id, body(e.event, e.data)) for e in missed.events]
        unread.append((missed.user_id, body("unread", missed.unread)))
    return found, unread
