"""Publishing live events once a messaging change has committed.

`messaging.effects` calls `entry_committed` / `state_committed` through
`transaction.on_commit`. Recipients are read from the thread's Participant rows
then, after the commit, so whoever lost access by that moment (an unassigned
clinician, someone who deleted their copy) gets nothing; a reply brings a
deleted thread back, so its `message` reaches them again.
"""

from __future__ import annotations

import logging
from functools import cache

import redis
from django.conf import settings
from django.utils import timezone

from huddle.events.broker import HUB, channel_name
from huddle.events.payloads import enabled_views, entry_event, thread_states, unread_by_user
from huddle.events.sse import Delivery, encode
from huddle.messaging.models import Entry, EntryKind, Participant

logger = logging.getLogger(__name__)


@cache
def _redis(url: str) -> redis.Redis:
    """One connection pool per process (thread-safe), for publishing."""
    return redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)


def publish(deliveries: list[Delivery]) -> None:
    """Hand deliveries to every server process: through Redis when REDIS_URL is
    set, else to this process's own streams."""
    if not deliveries:
        return
    raw = encode(deliveries)
    if settings.REDIS_URL:
        try:
            _redis(settings.REDIS_URL).publish(channel_name(), raw)
        except redis.RedisError:
            # The change is committed; streams that miss it catch up on reconnect.
            logger.exception("live events: could not publish to Redis")
    else:
        HUB.publish_local(raw)


def listened_to() -> bool:
    """Whether a published event can reach anyone: always through Redis; without
    it, only while this process serves streams (not in a management command or
    the worker, where building the events would be wasted statements)."""
    return bool(settings.REDIS_URL) or HUB.serving()


def entry_committed(entry_id: int, entry: Entry | None = None) -> None:
    """`message` (with everyone's thread_state and unread) or `header_changed`.

    `entry` is the action's own object when it has one (its author loaded with
    the practice, as on a request), which saves reading it back; the
    participants are always read after the commit."""
    if not listened_to():
        return
    if entry is None or entry.author.practice_id != entry.thread.practice_id:
        entry = (
            Entry.objects.select_related("author", "thread__practice").filter(pk=entry_id).first()
        )
        if entry is None:
            return
        practice = entry.thread.practice
    else:
        practice = entry.author.practice
    if entry.thread.view not in enabled_views(practice):
        return
    rows = list(
        Participant.objects.filter(
            thread_id=entry.thread_id, deleted=False, user__is_active=True
        ).order_by("user_id")
    )
    users = tuple(row.user_id for row in rows)
    if not users:
        return
    event, data = entry_event(entry)
    deliveries = [Delivery(users, entry.pk, event, data)]
    if entry.kind == EntryKind.MESSAGE:
        deliveries += [
            Delivery((user_id,), None, "thread_state", state)
            for user_id, state in thread_states(practice, rows, timezone.now())
        ]
        deliveries += [
            Delivery((user_id,), None, "unread", counts)
            for user_id, counts in unread_by_user(practice, users).items()
        ]
    publish(deliveries)


def state_committed(participant_id: int) -> None:
    """One person's `thread_state` and `unread` (read, unread, archive, delete)."""
    if not listened_to():
        return
    row = (
        Participant.objects.select_related("user__practice")
        .filter(pk=participant_id, user__is_active=True)
        .first()
    )
    if row is None:
        return
    practice = row.user.practice
    if row.view not in enabled_views(practice):
        return
    [(user_id, state)] = thread_states(practice, [row], timezone.now())
    counts = unread_by_user(practice, [user_id])[user_id]
    publish(
        [
            Delivery((user_id,), None, "thread_state", state),
            Delivery((user_id,), None, "unread", counts),
        ]
    )
