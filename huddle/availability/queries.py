"""Reading availability: a practice's hours and texts, who is away, who covers whom.

Nothing here imports messaging: messaging's access rules ask these questions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from huddle.accounts.models import User
from huddle.availability import hours as clock
from huddle.availability.models import (
    DEFAULT_AFTER_HOURS_REPLY,
    DEFAULT_CRISIS_NOTICE,
    DEFAULT_PORTAL_GUIDANCE,
    DEFAULT_TIMEZONE,
    AwayPeriod,
    PracticeHours,
)
from huddle.practices.models import Practice


@dataclass(frozen=True)
class Hours:
    """A practice's hours and texts as everyone reads them (defaults when unset)."""

    configured: bool
    timezone: str
    weekly: dict[str, list[list[str]]]
    closed_dates: list[str]
    after_hours_reply: str
    portal_guidance: str
    crisis_notice: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def schedule(self) -> clock.Schedule:
        weekly = {
            i: [clock.parse_range(a, b) for a, b in self.weekly.get(day, [])]
            for i, day in enumerate(clock.DAYS)
        }
        closed = frozenset(date.fromisoformat(d) for d in self.closed_dates)
        return clock.Schedule(zone=self.zone, weekly=weekly, closed=closed)


DEFAULT_WEEKLY: dict[str, list[list[str]]] = {
    day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}


def hours_from_row(row: PracticeHours | None) -> Hours:
    if row is None:
        return Hours(
            configured=False,
            timezone=DEFAULT_TIMEZONE,
            weekly={day: list(ranges) for day, ranges in DEFAULT_WEEKLY.items()},
            closed_dates=[],
            after_hours_reply=DEFAULT_AFTER_HOURS_REPLY,
            portal_guidance=DEFAULT_PORTAL_GUIDANCE,
            crisis_notice=DEFAULT_CRISIS_NOTICE,
        )
    return Hours(
        configured=True,
        timezone=row.timezone,
        weekly={day: [list(r) for r in row.weekly.get(day, [])] for day in clock.DAYS},
        closed_dates=list(row.closed_dates),
        after_hours_reply=row.after_hours_reply,
        portal_guidance=row.portal_guidance,
        crisis_notice=row.crisis_notice,
    )


def practice_hours(practice_id: int) -> Hours:
    """The practice's hours (1 statement)."""
    return hours_from_row(PracticeHours.objects.filter(practice_id=practice_id).first())


@dataclass(frozen=True)
class OpenState:
    """Whether the practice is open at a moment, for the portal's notice."""

    hours: Hours
    open: bool
    opens_at: datetime | None  # the next opening when closed, in the practice's timezone


def open_state(practice_id: int, now: datetime | None = None) -> OpenState:
    hours = practice_hours(practice_id)
    now = now or timezone.now()
    if not hours.configured:
        return OpenState(hours, True, None)
    schedule = hours.schedule()
    if schedule.is_open(now):
        return OpenState(hours, True, None)
    opens = schedule.opens_at(now)
    return OpenState(hours, False, opens.astimezone(hours.zone) if opens else None)


def local_zone(practice: Practice) -> ZoneInfo:
    """The timezone a practice's people see times in."""
    return practice_hours(practice.pk).zone


def current_away(user: User, now: datetime | None = None) -> AwayPeriod | None:
    """The caller's away period now or next (ending after `now`), if any."""
    now = now or timezone.now()
    return (
        AwayPeriod.objects.filter(user=user, ends_at__gt=now)
        .select_related("covering")
        .order_by("starts_at")
        .first()
    )


def is_away(user: User, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return AwayPeriod.objects.filter(user=user, starts_at__lte=now, ends_at__gt=now).exists()


def active_away(now: datetime) -> QuerySet[AwayPeriod]:
    return AwayPeriod.objects.filter(starts_at__lte=now, ends_at__gt=now)


# The same rule for plain SQL over availability_awayperiod aliased `a`, with
# `now` passed twice (core.sql.db_time): away from starts_at until ends_at.
ACTIVE_AWAY_SQL = "a.starts_at <= %s AND a.ends_at > %s"


def covered_ids(staff: User, now: datetime | None = None) -> list[int]:
    """The colleagues whom `staff` covers right now."""
    now = now or timezone.now()
    return list(active_away(now).filter(covering=staff).values_list("user_id", flat=True))


def coverer_ids(absent_ids: list[int], now: datetime | None = None) -> list[int]:
    """Active staff covering any of `absent_ids` right now."""
    if not absent_ids:
        return []
    now = now or timezone.now()
    return list(
        active_away(now)
        .filter(user_id__in=absent_ids, covering__is_active=True)
        .values_list("covering_id", flat=True)
        .distinct()
    )


def coverage_of(absent_ids: list[int], now: datetime | None = None) -> list[AwayPeriod]:
    """Who covers any of `absent_ids` now, with both people loaded (1 statement)."""
    if not absent_ids:
        return []
    now = now or timezone.now()
    return list(
        active_away(now)
        .filter(user_id__in=absent_ids, covering__isnull=False)
        .select_related("user", "covering")
        .order_by("ends_at", "pk")
    )


# The coverage rule as subqueries, for messaging's access rules (audiences.py):
# they join into the statements that decide who sees a client thread.


def covered_by(staff: User, now: datetime | None = None) -> QuerySet[AwayPeriod, tuple[int]]:
    """The ids of the colleagues `staff` covers now, as a subquery."""
    return active_away(now or timezone.now()).filter(covering=staff).values_list("user_id")


def covering_for_client(
    client_id: int, now: datetime | None = None
) -> QuerySet[AwayPeriod, tuple[int]]:
    """The ids of staff covering an absent clinician of the client now, as a subquery."""
    return (
        active_away(now or timezone.now())
        .filter(user__assigned_clients=client_id, covering__isnull=False)
        .values_list("covering_id")
    )


def coverage_on_thread(
    client_id: int | None, audience: str, now: datetime | None = None
) -> list[AwayPeriod]:
    """Who sees a client's clinical thread now while covering one of the client's
    absent clinicians, with both people loaded (1 statement; none otherwise)."""
    if client_id is None or audience != "clinical":
        return []
    return list(
        active_away(now or timezone.now())
        .filter(user__assigned_clients=client_id, covering__isnull=False)
        .select_related("user", "covering")
        .order_by("ends_at", "pk")
    )
