"""Publishing messaging's live events once a change has committed.

`effects` and the conversation features call these inside their transaction;
each defers its work with `transaction.on_commit`, so nothing rolled back is
ever announced (STYLE.md 4). Recipients are read after the commit, so whoever
lost access by that moment (an unassigned clinician, someone who deleted their
copy) gets nothing; a reply brings a deleted thread back, so its `message`
reaches them again. The events are defined in `live`; `events.publish` carries
them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from huddle.core import sql
from huddle.events import publish as transport
from huddle.events.sse import Delivery
from huddle.messaging import live, rules
from huddle.messaging.access import enabled_views, views_enabled
from huddle.messaging.models import Entry, EntryKind, View
from huddle.practices.models import Practice

# Everyone who may hear of a new message on a thread (active, not deleted it),
# with their own state of it and their unread totals in each view: one statement,
# after the commit, in the order of the thread's unique index; each total is read
# from the partial index `participant_unread` (user, view, unread_count) alone.
_MESSAGE_STATES_TEXT = (
    "SELECT p.user_id, p.unread_count, {archived}, {total}, {total}"
    " FROM messaging_participant p JOIN accounts_user u ON u.id = p.user_id"
    " WHERE p.thread_id = %s AND NOT p.deleted AND u.is_active ORDER BY p.user_id"
)

# One person's place on a thread, their practice's switches and their unread
# totals: one statement (`state_committed`).
_STATE_TEXT = (
    "SELECT p.user_id, p.thread_id, p.view, p.unread_count, p.archived, p.deleted,"
    " p.activity_at, pr.secure_messaging_enabled, pr.practice_messaging_enabled,"
    " pr.auto_archive_days, {total}, {total}"
    " FROM messaging_participant p"
    " JOIN accounts_user u ON u.id = p.user_id"
    " JOIN practices_practice pr ON pr.id = u.practice_id"
    " WHERE p.id = %s AND u.is_active"
)

_MESSAGE_STATES = _MESSAGE_STATES_TEXT.format(archived=rules.ARCHIVED, total=rules.UNREAD_TOTAL)
_STATE = _STATE_TEXT.format(total=rules.UNREAD_TOTAL)

# Who on a thread may hear of a change now: active, not deleted it; with their kind.
_LISTENERS = (
    "SELECT p.user_id, u.kind FROM messaging_participant p"
    " JOIN accounts_user u ON u.id = p.user_id"
    " WHERE p.thread_id = %s AND NOT p.deleted AND u.is_active"
)

UserStates = list[tuple[int, live.ThreadState, live.Unread]]


def message_states(thread_id: int, practice: Practice, now: datetime) -> UserStates:
    """For each person on the thread who may see it now, by user id: their
    `thread_state` and their `unread`."""
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
    return [
        (
            user_id,
            live.thread_state(thread_id, archived=bool(archived), deleted=False, unread=unread),
            live.unread(int(in_practice) if practice_on else 0, int(in_clients)),
        )
        for user_id, unread, archived, in_practice, in_clients in rows
    ]


def participant_state(
    participant_id: int, now: datetime
) -> tuple[int, live.ThreadState, live.Unread] | None:
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
    state = live.thread_state(
        thread_id,
        archived=bool(archived) or sql.aware(activity_at) < cutoff,
        deleted=bool(deleted),
        unread=unread,
    )
    practice_total = int(in_practice) if View.PRACTICE in views else 0
    return user_id, state, live.unread(practice_total, int(in_clients))


def entry_committed(entry_id: int, entry: Entry | None = None) -> None:
    """`message` (with everyone's `thread_state` and `unread`) or `header_changed`.

    `entry` is the action's own object when it has one (its author loaded with
    the practice, as on a request), which saves reading it back; the
    participants and their unread totals are always read after the commit, in
    one statement (plain SQL: this runs after every message, in its request)."""
    if not transport.listened_to():
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
    event = live.entry_event(entry)
    deliveries = [Delivery(users, entry.pk, event.name, event.data)]
    if entry.kind == EntryKind.MESSAGE:
        # Built from typed columns: well shaped, sent as bare values (sse._packed).
        deliveries += [
            Delivery((user_id,), None, "thread_state", s, tuple(s.values()))
            for user_id, s, _ in states
        ]
        deliveries += [
            Delivery((user_id,), None, "unread", c, tuple(c.values())) for user_id, _, c in states
        ]
    transport.publish(deliveries)


def state_committed(participant_id: int) -> None:
    """One person's `thread_state` and `unread` (read, unread, archive, delete)."""
    if not transport.listened_to():
        return
    found = participant_state(participant_id, timezone.now())
    if found is None:
        return
    user_id, state, counts = found
    transport.publish(
        [
            Delivery((user_id,), None, "thread_state", state),
            Delivery((user_id,), None, "unread", counts),
        ]
    )


def after_commit_entry(entry: Entry, *, reuse: bool) -> None:
    """Inside the transaction: `entry_committed` once it commits (`reuse`: hand it
    the action's own object, which a new message has loaded as a request does)."""
    entry_id = entry.pk
    kept = entry if reuse else None
    transaction.on_commit(lambda: entry_committed(entry_id, kept), robust=True)


def after_commit_state(participant_id: int) -> None:
    """Inside the transaction: `state_committed` once it commits."""
    transaction.on_commit(lambda: state_committed(participant_id), robust=True)


def to_thread(
    thread_id: int, event: live.Event, *, staff_only: bool = False, leave_out: int | None = None
) -> None:
    """After the commit: `event` to the thread's people (its staff only, when asked)."""

    def send() -> None:
        if not transport.listened_to():
            return
        users = tuple(
            user_id
            for user_id, kind in sql.fetch_all(_LISTENERS, (thread_id,))
            if user_id != leave_out and (not staff_only or kind == "staff")
        )
        if users:
            transport.publish([Delivery(users, None, event.name, event.data)])

    transaction.on_commit(send, robust=True)


def to_users(user_ids: Iterable[int], event: live.Event) -> None:
    """After the commit: `event` to these people."""
    users = tuple(dict.fromkeys(user_ids))

    def send() -> None:
        if users and transport.listened_to():
            transport.publish([Delivery(users, None, event.name, event.data)])

    transaction.on_commit(send, robust=True)
