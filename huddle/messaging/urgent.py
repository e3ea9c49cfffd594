"""Urgent messages (F20): marked by staff, emailed at once, acknowledged by each
staff recipient, escalated once by the worker when someone is still awaiting
after the practice's `urgent_escalation_minutes`.

Who must acknowledge: the other staff on the thread (a client on a client thread
sees the mark, but is not asked). Each participant's `awaiting_ack` counts the
urgent messages they have not acknowledged, which marks the thread in the inbox.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from huddle import audit
from huddle.accounts.models import Kind, Role, User
from huddle.core import sql
from huddle.core.errors import InvalidInput
from huddle.messaging import live, publishing
from huddle.messaging.edits import visible_message
from huddle.messaging.models import Acknowledgement, Entry, Participant, UrgentAlert, View

STAFF_ONLY = "Only practice staff can mark a message urgent."
NOT_URGENT = "Only urgent messages are acknowledged."


def check_sender(sender: User, urgent: bool) -> None:
    """A client's `urgent: true` is refused (400 naming the field)."""
    if urgent and not sender.is_staff_member:
        raise InvalidInput.field("urgent", STAFF_ONLY)


# The other active staff on the thread, each told by email at once if they want
# email about messages of this view: one INSERT … SELECT.
_QUEUE_URGENT = (
    "INSERT INTO messaging_urgentalert (entry_id, user_id, kind, created_at)"
    " SELECT %s, u.id, 'urgent', %s FROM messaging_participant p"
    " JOIN accounts_user u ON u.id = p.user_id"
    " JOIN notifications_preference np ON np.user_id = u.id"
    " WHERE p.thread_id = %s AND u.id <> %s AND u.is_active AND u.kind = 'staff'"
    " AND NOT p.deleted AND {wants}"
    " ON CONFLICT DO NOTHING"
)
_WANTS = {View.PRACTICE: "np.internal_messages", View.CLIENTS: "np.client_messages"}


def mark(entry: Entry, *, practice_minutes: int) -> None:
    """Inside the sending transaction: make a just-stored message urgent."""
    due = entry.created_at + timedelta(minutes=practice_minutes)
    Entry.objects.filter(pk=entry.pk).update(urgent=True, escalation_due_at=due)
    entry.urgent, entry.escalation_due_at = True, due
    Participant.objects.filter(thread_id=entry.thread_id, user__kind=Kind.STAFF).exclude(
        user_id=entry.author_id
    ).update(awaiting_ack=F("awaiting_ack") + 1)
    statement = _QUEUE_URGENT.format(wants=_WANTS[View(entry.thread.view)])
    sql.execute(
        statement, (entry.pk, sql.db_time(entry.created_at), entry.thread_id, entry.author_id)
    )


def release_awaiting(entry: Entry) -> None:
    """A removed urgent message asks nobody any more."""
    acked = Acknowledgement.objects.filter(entry_id=entry.pk).values("user_id")
    Participant.objects.filter(
        thread_id=entry.thread_id, user__kind=Kind.STAFF, awaiting_ack__gt=0
    ).exclude(user_id=entry.author_id).exclude(user_id__in=acked).update(
        awaiting_ack=F("awaiting_ack") - 1
    )


@dataclass
class Acks:
    """Who has acknowledged an urgent message, and who is still awaited."""

    acknowledgements: list[tuple[User, datetime]] = field(default_factory=list)
    awaiting: list[User] = field(default_factory=list)


def acks_for(entries: Iterable[Entry], participants: Iterable[Participant]) -> dict[int, Acks]:
    """The acknowledgements of a thread's urgent messages (1 statement, none when
    no message is urgent); `participants` are the thread's, users loaded."""
    urgent = [e for e in entries if e.urgent and e.removed_at is None]
    if not urgent:
        return {}
    people = list(participants)
    by_entry: dict[int, Acks] = {e.pk: Acks() for e in urgent}
    done: dict[int, set[int]] = {e.pk: set() for e in urgent}
    rows = (
        Acknowledgement.objects.filter(entry_id__in=list(by_entry))
        .select_related("user")
        .order_by("at", "pk")
    )
    for ack in rows:
        by_entry[ack.entry_id].acknowledgements.append((ack.user, ack.at))
        done[ack.entry_id].add(ack.user_id)
    for e in urgent:
        by_entry[e.pk].awaiting = [
            p.user
            for p in people
            if p.user.is_staff_member and p.user_id != e.author_id and p.user_id not in done[e.pk]
        ]
    return by_entry


_ACK = "INSERT INTO messaging_acknowledgement (entry_id, user_id, at) VALUES (%s, %s, %s)"
_ACK_ONCE = _ACK + " ON CONFLICT DO NOTHING"


def acknowledge(*, user: User, entry_id: int) -> Entry:
    """Acknowledge: once per person and message (a repeat changes nothing)."""
    entry, participation = visible_message(user, entry_id)
    if not entry.urgent or entry.removed_at is not None:
        raise InvalidInput.field("message", NOT_URGENT)
    if entry.author_id == user.pk or not user.is_staff_member:
        raise InvalidInput.field("message", "Only its staff recipients acknowledge a message.")
    with transaction.atomic():
        now = timezone.now()
        added = sql.execute(_ACK_ONCE, (entry.pk, user.pk, sql.db_time(now)))
        if added:
            Participant.objects.filter(pk=participation.pk, awaiting_ack__gt=0).update(
                awaiting_ack=F("awaiting_ack") - 1
            )
            audit.record_thread(
                audit.Action.URGENT_ACKNOWLEDGED, actor=user, thread_id=entry.thread_id
            )
            if not awaiting_ids(entry):
                Entry.objects.filter(pk=entry.pk).update(escalation_due_at=None)
            publishing.to_thread(
                entry.thread_id, live.acknowledged(entry, user, now), staff_only=True
            )
    return entry


def awaiting_ids(entry: Entry) -> list[int]:
    """The staff on the thread who have not acknowledged `entry` (1 statement)."""
    acked = Acknowledgement.objects.filter(entry_id=entry.pk).values("user_id")
    return list(
        Participant.objects.filter(
            thread_id=entry.thread_id, user__kind=Kind.STAFF, user__is_active=True
        )
        .exclude(user_id=entry.author_id)
        .exclude(user_id__in=acked)
        .values_list("user_id", flat=True)
    )


def supervisors_of(practice_id: int, user_ids: list[int]) -> list[int]:
    """Active supervisors who share a location with one of these people (all the
    practice's supervisors for someone who works at no location)."""
    if not user_ids:
        return []
    people = User.objects.filter(pk__in=user_ids).prefetch_related("locations")
    supervisors = User.objects.filter(
        practice_id=practice_id, kind=Kind.STAFF, is_active=True, roles__role=Role.SUPERVISOR
    ).prefetch_related("locations")
    found: set[int] = set()
    everyone = list(supervisors)
    for person in people:
        where = {loc.pk for loc in person.locations.all()}
        for sup in everyone:
            if sup.pk == person.pk:
                continue
            if not where or where & {loc.pk for loc in sup.locations.all()}:
                found.add(sup.pk)
    return sorted(found)


def escalate(entry_id: int, now: datetime) -> bool:
    """The worker's step for one due message: claim it with a conditional update
    (only one worker wins; the claim and the alerts share one transaction, so a
    crash leaves it due again), then alert the sender and the awaiting people's
    supervisors once: a live event and an email each."""
    with transaction.atomic():
        won = Entry.objects.filter(pk=entry_id, escalation_due_at__lte=now).update(
            escalation_due_at=None
        )
        if won != 1:
            return False
        entry = Entry.objects.select_related("author", "thread").get(pk=entry_id)
        awaiting = awaiting_ids(entry)
        if not awaiting or entry.removed_at is not None:
            return True
        supervisors = supervisors_of(entry.thread.practice_id, awaiting)
        alerted = [entry.author_id, *(pk for pk in supervisors if pk not in awaiting)]
        alerted = list(dict.fromkeys(alerted))
        names = dict(User.objects.filter(pk__in=awaiting).values_list("pk", "name"))
        UrgentAlert.objects.bulk_create(
            [
                UrgentAlert(
                    entry=entry, user_id=pk, kind=UrgentAlert.Kind.ESCALATION, created_at=now
                )
                for pk in alerted
            ],
            ignore_conflicts=True,
        )
        audit.record_thread(
            audit.Action.URGENT_ESCALATED,
            actor=entry.author,
            thread_id=entry.thread_id,
            detail=f"{len(awaiting)} awaiting",
        )
        publishing.to_users(
            alerted,
            live.urgent_unacknowledged(entry, [(pk, names.get(pk, "")) for pk in awaiting]),
        )
    return True
