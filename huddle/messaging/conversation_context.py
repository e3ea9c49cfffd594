"""What the thread page shows of the conversation features, per message: urgent
and its acknowledgements, edited (with earlier versions) or removed, Edit and
Remove for one's own recent message, and read receipts. Built from what the page
already loaded; a statement more only for a thread with an urgent message (the
acknowledgements) or an edited one (its versions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from huddle.accounts.models import User
from huddle.messaging import edits, receipts, urgent
from huddle.messaging.models import Entry, EntryKind, EntryVersion, Participant


@dataclass
class MessageExtras:
    can_change: bool = False
    editable_until: datetime | None = None
    versions: list[EntryVersion] = field(default_factory=list)
    acks: urgent.Acks | None = None
    awaiting_me: bool = False
    acknowledged_by_me: bool = False
    read_here: list[User] = field(default_factory=list)
    practice_read_here: bool = False


@dataclass
class ThreadExtras:
    messages: dict[int, MessageExtras]
    seen: receipts.SeenBy
    awaiting_count: int


def thread_extras(
    user: User, entries: list[Entry], participants: list[Participant]
) -> ThreadExtras:
    now = timezone.now()
    messages = [e for e in entries if e.kind == EntryKind.MESSAGE]
    edited = [e.pk for e in messages if e.edited_at is not None and e.removed_at is None]
    versions: dict[int, list[EntryVersion]] = {}
    if edited:
        for v in EntryVersion.objects.filter(entry_id__in=edited).order_by("pk"):
            versions.setdefault(v.entry_id, []).append(v)
    acks = urgent.acks_for(messages, participants) if user.is_staff_member else {}
    seen = receipts.seen_by(user, participants, entries)
    extras: dict[int, MessageExtras] = {}
    awaiting_count = 0
    for e in messages:
        x = MessageExtras(
            can_change=edits.can_change(e, user, now),
            editable_until=edits.editable_until(e),
            versions=versions.get(e.pk, []),
            acks=acks.get(e.pk),
            read_here=seen.up_to.get(e.pk, []),
            practice_read_here=seen.practice_at == e.pk,
        )
        if x.acks is not None:
            x.awaiting_me = any(u.pk == user.pk for u in x.acks.awaiting)
            x.acknowledged_by_me = any(u.pk == user.pk for u, _ in x.acks.acknowledgements)
            awaiting_count += x.awaiting_me
        extras[e.pk] = x
    return ThreadExtras(extras, seen, awaiting_count)
