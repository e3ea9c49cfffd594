"""Where a stream's history comes from: the one thing the transport asks of the
app whose events it carries.

`events` is transport only (who is asking, the broker, the stream, the SSE wire
format). What an entry says and who may see it is messaging's business:
`huddle.messaging.stream_source` implements `Source` and hands it over with `use`
when its app is ready (`MessagingConfig.ready`), so this app imports nothing of
messaging and the dependency runs one way (docs/ARCHITECTURE.md).

All methods are plain sync functions; the stream calls them through
`sync_to_async` (auth.brief_db_call).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

from huddle.accounts.models import User


class Replayed(NamedTuple):
    """One entry as a stream sends it again: its id, event name and data."""

    id: int
    event: str
    data: Mapping[str, Any]


class Missed(NamedTuple):
    """What the sweep found a user had not had: their events, then their unread."""

    user_id: int
    events: list[Replayed]
    unread: Mapping[str, int]


class Source(Protocol):
    """Entries, the people who may see them, and unread counts, as a stream needs them."""

    def latest_id(self, user: User) -> int:
        """The id a fresh stream starts from: the newest entry the user may see."""

    def replay(self, user: User, after: int, late: Sequence[int], limit: int) -> list[Replayed]:
        """Entries after `after` (and the `late` ones), oldest first, at most
        `limit` + 1 (to tell more exist); audited."""

    def unread(self, user: User) -> Mapping[str, int]:
        """The user's `unread` event data, as it is now."""

    def newest_id(self) -> int:
        """The newest entry id of all (the sweep's mark)."""

    def ids_after(self, after: int) -> list[int]:
        """The ids of every entry after `after`."""

    def listeners(self, entry_ids: Sequence[int], user_ids: Iterable[int]) -> list[tuple[int, int]]:
        """(entry id, user id): which of these users are on these entries' threads."""

    def missed(self, missing: Mapping[int, set[int]]) -> list[Missed]:
        """For each user, the events of the entries they missed that they may see now."""


_SOURCE: list[Source] = []


def use(source: Source) -> None:
    """Set where history comes from (once, when the messaging app is ready)."""
    _SOURCE[:] = [source]


def current() -> Source:
    if not _SOURCE:
        raise RuntimeError("no event source: is huddle.messaging in INSTALLED_APPS?")
    return _SOURCE[0]
