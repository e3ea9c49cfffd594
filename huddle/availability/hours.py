"""Opening hours as times: whether a practice is open at an instant, when the
current closed period began and when it ends.

Every boundary is built in the practice's timezone (`zoneinfo`) and compared in
UTC, so a day of 23 or 25 hours (a daylight-saving change) needs no special case:
08:00 is 08:00 on the clock of that day, whatever its offset."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
# How far to look for an opening: a practice closed longer than this is "closed".
SEARCH_DAYS = 400

Range = tuple[time, time | None]  # an end of None is midnight at the end of the day


@dataclass(frozen=True)
class Schedule:
    """Weekly ranges by weekday (0 = Monday) and closed dates, in `zone`."""

    zone: ZoneInfo
    weekly: dict[int, list[Range]] = field(default_factory=dict)
    closed: frozenset[date] = frozenset()

    def ranges_on(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The open ranges of one local day, as UTC instants."""
        if day in self.closed:
            return
        for start, end in self.weekly.get(day.weekday(), []):
            begin = datetime.combine(day, start, tzinfo=self.zone)
            if end is None:
                finish = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
            else:
                finish = datetime.combine(day, end, tzinfo=self.zone)
            yield begin.astimezone(UTC), finish.astimezone(UTC)

    def is_open(self, at: datetime) -> bool:
        day = at.astimezone(self.zone).date()
        moment = at.astimezone(UTC)
        # A range of the day before can reach past midnight only as "24:00": never.
        return any(start <= moment < end for start, end in self.ranges_on(day))

    def closed_since(self, at: datetime) -> datetime | None:
        """When the closed period around `at` began (the end of the last open
        range), or None when open; a practice never open answers the epoch."""
        if self.is_open(at):
            return None
        moment = at.astimezone(UTC)
        day = at.astimezone(self.zone).date()
        for back in range(SEARCH_DAYS):
            ends = [end for _, end in self.ranges_on(day - timedelta(days=back)) if end <= moment]
            if ends:
                return max(ends)
        return datetime(1970, 1, 1, tzinfo=UTC)

    def opens_at(self, at: datetime) -> datetime | None:
        """The next opening after `at`, or None when none within SEARCH_DAYS."""
        moment = at.astimezone(UTC)
        day = at.astimezone(self.zone).date()
        for ahead in range(SEARCH_DAYS):
            starts = [s for s, _ in self.ranges_on(day + timedelta(days=ahead)) if s > moment]
            if starts:
                return min(starts)
        return None


def parse_time(text: str) -> time:
    """ "HH:MM", 00:00 to 23:59; raises ValueError."""
    if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
        raise ValueError(text)
    return time(int(text[:2]), int(text[3:]))


def parse_range(start: str, end: str) -> Range:
    """A stored ["HH:MM", "HH:MM"] range; "24:00" ends at midnight."""
    return parse_time(start), None if end == "24:00" else parse_time(end)


def clock(value: time | None) -> str:
    return "24:00" if value is None else value.strftime("%H:%M")
