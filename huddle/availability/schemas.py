from __future__ import annotations

from datetime import datetime

from ninja import Schema
from pydantic import AwareDatetime, Field, StrictStr

from huddle.availability.models import AwayPeriod
from huddle.availability.queries import Hours
from huddle.core import limits
from huddle.core.apitypes import Id, Input

Clock = StrictStr


class HoursOut(Schema):
    configured: bool
    timezone: str
    weekly: dict[str, list[list[str]]]
    closed_dates: list[str]
    after_hours_reply: str
    portal_guidance: str
    crisis_notice: str


class HoursIn(Input):
    """The whole of the practice's hours and texts (PUT replaces it); a text left
    out is its default, a day left out or empty is closed."""

    timezone: StrictStr = Field(max_length=64)
    weekly: dict[StrictStr, list[list[Clock]]] = Field(default_factory=dict, max_length=7)
    closed_dates: list[StrictStr] = Field(default_factory=list, max_length=limits.CLOSED_DATES_MAX)
    after_hours_reply: StrictStr | None = Field(
        default=None, max_length=limits.AFTER_HOURS_REPLY_MAX
    )
    portal_guidance: StrictStr | None = Field(default=None, max_length=limits.PORTAL_GUIDANCE_MAX)
    crisis_notice: StrictStr | None = Field(default=None, max_length=limits.CRISIS_NOTICE_MAX)


class Person(Schema):
    id: Id
    name: str


class AwayOut(Schema):
    starts_at: datetime
    ends_at: datetime
    note: str
    covering_user_id: Id | None
    covering: Person | None
    active: bool


class AwayIn(Input):
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    note: StrictStr = Field(default="", max_length=limits.AWAY_NOTE_MAX)
    covering_user_id: Id | None = None


def hours_out(hours: Hours) -> HoursOut:
    return HoursOut(
        configured=hours.configured,
        timezone=hours.timezone,
        weekly=hours.weekly,
        closed_dates=hours.closed_dates,
        after_hours_reply=hours.after_hours_reply,
        portal_guidance=hours.portal_guidance,
        crisis_notice=hours.crisis_notice,
    )


def away_out(period: AwayPeriod, now: datetime) -> AwayOut:
    covering = period.covering
    return AwayOut(
        starts_at=period.starts_at,
        ends_at=period.ends_at,
        note=period.note,
        covering_user_id=covering.pk if covering else None,
        covering=Person(id=covering.pk, name=covering.name) if covering else None,
        active=period.starts_at <= now < period.ends_at,
    )
