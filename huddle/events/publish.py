"""Publishing live events once a messaging change has committed.

`messaging.effects` calls `entry_committed` / `state_committed` through
`transaction.on_commit`. Recipients are read from the thread's Participant rows
then, after the commit, so whoever lost access by that moment (an unassigned
clinician, someone who deleted their copy) gets nothing; a reply brings a
deleted thread back, so its `message` reaches them again.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.utils import timezone

from huddle.core import redis as core_redis
from huddle.events.broker import HUB, channel_name
from huddle.events.payloads import entry_event, message_states, participant_state
from huddle.events.sealing import seal
from huddle.events.sse import Delivery, encode
from huddle.messaging.access import enabled_views
from huddle.messaging.models import Entry, EntryKind

logger = logging.getLogger(__name__)


def publish(deliveries: list[Delivery]) -> None:
    """Hand deliveries to every server process: through Redis when REDIS_URL is
    set, else to this process's own streams."""
    if not deliveries:
        return
    raw = encode(deliveries)
    if settings.REDIS_URL:
        if not core_redis.usable():
            return  # Redis failed a moment ago; streams catch up from the database
        try:
            channel = channel_name()
            core_redis.client(settings.REDIS_URL).publish(channel, seal(raw, channel))
        except redis.RedisError as exc:
            # The change is committed; the streams' sweep (broker.Hub) finds it.
            core_redis.failed("publishing live events", exc)
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
    participants and their unread totals are always read after the commit, in
    one statement (plain SQL: this runs after every message, in its request)."""
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
    states = message_states(entry.thread_id, practice, timezone.now())
    users = tuple(user_id for user_id, _, _ in states)
    if not users:
        return
    event, data = entry_event(entry)
    deliveries = [Delivery(users, entry.pk, event, data)]
    if entry.kind == EntryKind.MESSAGE:
        # Built here from typed columns: well shaped, sent as bare values (sse._packed).
        deliveries += [
            Delivery((user_id,), None, "thread_state", s, tuple(s.values()))
            for user_id, s, _ in states
        ]
        deliveries += [
            Delivery((user_id,), None, "unread", c, tuple(c.values())) for user_id, _, c in states
        ]
    publish(deliveries)


def state_committed(participant_id: int) -> None:
    """One person's `thread_state` and `unread` (read, unread, archive, delete)."""
    if not listened_to():
        return
    found = participant_state(participant_id, timezone.now())
    if found is None:
        return
    user_id, state, counts = found
    publish(
        [
            Delivery((user_id,), None, "thread_state", state),
            Delivery((user_id,), None, "unread", counts),
        ]
    )
