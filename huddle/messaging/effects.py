"""What a change to a thread sets off beyond the thread itself: live events to
the people who may see it, and email notifications.

Every action in `actions.py` calls one of these inside its transaction, after
its own writes. Work that must share the transaction (queuing an email in the
outbox, writing the audit row) happens here directly; anything that leaves the
process (publishing a live event) is deferred with `transaction.on_commit`, so
nothing rolled back is ever announced (STYLE.md 4).
"""

from __future__ import annotations

from huddle import audit
from huddle.messaging import publishing, signals
from huddle.messaging.auto_replies import after_message
from huddle.messaging.models import Entry, Participant


def message_sent(entry: Entry) -> None:
    """A new message (also the first of a new thread), with participants updated."""
    signals.message_sent.send(sender=Entry, entry=entry)  # notifications queue emails
    first = entry.created_at == entry.thread.created_at
    audit.record_thread(
        audit.Action.MESSAGE_SENT,
        actor=entry.author,
        thread_id=entry.thread_id,
        detail="new thread" if first else "reply",
    )
    publishing.after_commit_entry(entry, reuse=True)
    # availability: the after-hours reply and away notices, kept for the answer
    entry.auto_notices = after_message(entry)  # type: ignore[attr-defined]


def header_changed(entry: Entry) -> None:
    """A thread's header changed; `entry` is the timeline notice."""
    audit.record_thread(audit.Action.HEADER_EDITED, actor=entry.author, thread_id=entry.thread_id)
    publishing.after_commit_entry(entry, reuse=False)


def state_changed(participation: Participant) -> None:
    """One person's own state of a thread changed (read, unread, archived, deleted)."""
    publishing.after_commit_state(participation.pk)
