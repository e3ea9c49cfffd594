"""Opening hours as instants (huddle/availability/hours.py), on both sides of
daylight-saving changes: 08:00 is 08:00 on the practice's clock, whatever the offset."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from huddle.availability.hours import Range, Schedule

NY = ZoneInfo("America/New_York")
WEEKDAYS: dict[int, list[Range]] = {d: [(time(8), time(17))] for d in range(5)}


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_open_at_08_local_before_and_after_the_autumn_change() -> None:
    hours = Schedule(zone=NY, weekly=WEEKDAYS)
    # Fri 30 Oct 2026 is EDT (UTC-4): 08:00 local is 12:00 UTC.
    assert not hours.is_open(utc(2026, 10, 30, 11, 59))
    assert hours.is_open(utc(2026, 10, 30, 12, 0))
    # Mon 2 Nov 2026 is EST (UTC-5), after the change of Sun 1 Nov: 08:00 is 13:00 UTC.
    assert not hours.is_open(utc(2026, 11, 2, 12, 30))
    assert hours.is_open(utc(2026, 11, 2, 13, 0))
    assert hours.is_open(utc(2026, 11, 2, 21, 59))
    assert not hours.is_open(utc(2026, 11, 2, 22, 0))


def test_open_at_08_local_before_and_after_the_spring_change() -> None:
    hours = Schedule(zone=NY, weekly=WEEKDAYS)
    # Fri 6 Mar 2026 EST: 08:00 is 13:00 UTC; Mon 9 Mar EDT: 08:00 is 12:00 UTC.
    assert not hours.is_open(utc(2026, 3, 6, 12, 30))
    assert hours.is_open(utc(2026, 3, 6, 13, 0))
    assert hours.is_open(utc(2026, 3, 9, 12, 30))
    assert not hours.is_open(utc(2026, 3, 9, 11, 59))


def test_a_closed_period_starts_when_the_last_range_ended_across_the_change() -> None:
    hours = Schedule(zone=NY, weekly=WEEKDAYS)
    # Sunday 1 Nov 2026, the day of the change: closed since Fri 30 Oct 17:00 EDT.
    assert hours.closed_since(utc(2026, 11, 1, 6, 30)) == utc(2026, 10, 30, 21, 0)
    # And it opens Mon 2 Nov 08:00 EST.
    assert hours.opens_at(utc(2026, 11, 1, 6, 30)) == utc(2026, 11, 2, 13, 0)
    assert hours.closed_since(utc(2026, 11, 2, 14, 0)) is None


def test_closed_dates_close_the_whole_day() -> None:
    hours = Schedule(zone=NY, weekly=WEEKDAYS, closed=frozenset({date(2026, 11, 26)}))
    thanksgiving_noon = utc(2026, 11, 26, 17, 0)
    assert not hours.is_open(thanksgiving_noon)
    assert hours.closed_since(thanksgiving_noon) == utc(2026, 11, 25, 22, 0)
    assert hours.opens_at(thanksgiving_noon) == utc(2026, 11, 27, 13, 0)


def test_several_ranges_a_day_and_a_range_to_midnight() -> None:
    hours = Schedule(zone=NY, weekly={0: [(time(8), time(12)), (time(13), None)]})
    lunch = datetime(2026, 12, 7, 12, 30, tzinfo=NY)
    assert not hours.is_open(lunch)
    assert hours.closed_since(lunch) == datetime(2026, 12, 7, 12, 0, tzinfo=NY)
    assert hours.is_open(datetime(2026, 12, 7, 23, 59, tzinfo=NY))
    assert not hours.is_open(datetime(2026, 12, 8, 0, 0, tzinfo=NY))


def test_a_practice_never_open_is_closed_since_the_epoch() -> None:
    hours = Schedule(zone=NY)
    assert hours.closed_since(utc(2026, 12, 3)) == utc(1970, 1, 1)
    assert hours.opens_at(utc(2026, 12, 3)) is None
