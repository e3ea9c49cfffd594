"""The automatic notices a message sets off (F22, F23): the after-hours reply
to a client writing while the practice is closed, and the away notice of a
participant who is away. Each is a timeline entry of kind "auto_reply": from
nobody (its author is the person it is about or whose message set it off),
never unread, not the thread's last message; once per thread per closed period
or absence (`Notice.key`, unique per thread).

The timeline entry is messaging's, so messaging writes it here, from
availability's hours and absences (its queries) and its `Notice` rows;
`messaging.effects.message_sent` calls `after_message` inside the message's
transaction, so a notice exists exactly when its message does."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from huddle.availability.models import AwayPeriod, Notice, NoticeReason
from huddle.availability.queries import ACTIVE_AWAY_SQL, practice_hours
from huddle.core import sql
from huddle.messaging.models import Entry, EntryKind, View


def after_message(entry: Entry) -> list[Entry]:
    """Add the notices `entry` calls for; answers them (usually none: 1 statement
    for a staff message, 2 for a client's; one more when someone on it is away)."""
    thread = entry.thread
    now = entry.created_at
    added: list[Entry] = []
    hours = None
    if thread.view == View.CLIENTS and not entry.author.is_staff_member:
        hours = practice_hours(thread.practice_id)
        since = hours.schedule().closed_since(now) if hours.configured else None
        key = f"after_hours:{since.isoformat()}" if since is not None else ""
        if since is not None and not Notice.objects.filter(thread=thread, key=key).exists():
            added.append(
                _add(entry, key, NoticeReason.AFTER_HOURS, hours.after_hours_reply, entry.author_id)
            )
    away = _away_on_thread(thread.pk, entry.author_id, now)
    if away:
        keys = {p.pk: f"away:{p.pk}" for p in away}
        sent = set(
            Notice.objects.filter(thread=thread, key__in=keys.values()).values_list(
                "key", flat=True
            )
        )
        zone = (hours or practice_hours(thread.practice_id)).zone
        for period in away:
            if keys[period.pk] not in sent:
                text = period.note or away_sentence(period, zone)
                added.append(
                    _add(entry, keys[period.pk], NoticeReason.AWAY, text, period.user_id, period)
                )
    return added


# Who on the thread, but the author, is away right now: every message asks it and
# almost always hears "nobody", so it is one plain-SQL statement (core.sql; the
# ORM's join cost a staff reply a third of its CPU, PERFORMANCE.md), and the
# absences are loaded only when there are some.
_AWAY_TEMPLATE = (
    "SELECT a.id FROM availability_awayperiod a"
    " JOIN messaging_participant p ON p.user_id = a.user_id AND p.thread_id = %s"
    " WHERE a.user_id <> %s AND {active}"
)
_AWAY_ON_THREAD = _AWAY_TEMPLATE.format(active=ACTIVE_AWAY_SQL)


def _away_on_thread(thread_id: int, author_id: int, now: datetime) -> list[AwayPeriod]:
    at = sql.db_time(now)
    ids = [row[0] for row in sql.fetch_all(_AWAY_ON_THREAD, (thread_id, author_id, at, at))]
    if not ids:
        return []
    found = AwayPeriod.objects.filter(pk__in=ids).select_related("user", "covering")
    return list(found.order_by("user__name", "pk"))


def _add(
    entry: Entry,
    key: str,
    reason: str,
    text: str,
    author_id: int,
    period: AwayPeriod | None = None,
) -> Entry:
    notice = Entry.objects.create(
        thread=entry.thread,
        kind=EntryKind.AUTO_REPLY,
        author_id=author_id,
        body=text,
        created_at=entry.created_at,
    )
    Notice.objects.create(
        entry=notice,
        thread=entry.thread,
        key=key,
        reason=reason,
        user=period.user if period else None,
        until=period.ends_at if period else None,
    )
    return notice


def local_day(at: datetime, zone: ZoneInfo) -> str:
    """ "Mon 8 Dec" on the practice's clock."""
    local = at.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}"


def away_sentence(period: AwayPeriod, zone: ZoneInfo) -> str:
    """ "Priya Shah is away until Mon 8 Dec; Marcus Bell is covering."."""
    sentence = f"{period.user.name} is away until {local_day(period.ends_at, zone)}"
    if period.covering is not None:
        return f"{sentence}; {period.covering.name} is covering."
    return f"{sentence}."
