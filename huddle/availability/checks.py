"""Checks of what Practice Admins and staff type for availability: each failure
is a 400 naming the field (API.md), and nothing is stored before all pass."""

from __future__ import annotations

import itertools
import zoneinfo
from datetime import date
from functools import cache
from typing import Any

from huddle.availability import hours as clock
from huddle.core import limits
from huddle.core.errors import InvalidInput


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_timezone(name: object) -> str:
    if not isinstance(name, str) or name not in _zones():
        raise InvalidInput.field(
            "timezone", "Choose a timezone by its IANA name, such as America/New_York."
        )
    return name


def _minutes(text: str) -> int:
    return 24 * 60 if text == "24:00" else int(text[:2]) * 60 + int(text[3:])


def check_weekly(weekly: object) -> dict[str, list[list[str]]]:
    """Each day's ranges as ["HH:MM", "HH:MM"], start before end, sorted, not
    overlapping; a missing or empty day is closed."""
    if not isinstance(weekly, dict):
        raise InvalidInput.field("weekly", "Give each day's opening hours.")
    found: dict[str, list[list[str]]] = {}
    for day, ranges in weekly.items():
        name = f"weekly.{day}"
        if day not in clock.DAYS:
            raise InvalidInput.field(name, "Name days as mon, tue, wed, thu, fri, sat or sun.")
        if not isinstance(ranges, list) or len(ranges) > limits.HOURS_RANGES_PER_DAY:
            raise InvalidInput.field(
                name, f"Give at most {limits.HOURS_RANGES_PER_DAY} ranges, as [start, end]."
            )
        parsed: list[tuple[int, int, str, str]] = []
        for pair in ranges:
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise InvalidInput.field(name, "Give each range as [start, end].")
            start, end = pair
            try:
                if not isinstance(start, str) or not isinstance(end, str):
                    raise ValueError
                clock.parse_range(start, end)
            except ValueError:
                raise InvalidInput.field(
                    name, "Write times as HH:MM, from 00:00 to 23:59 (24:00 ends a day)."
                ) from None
            if _minutes(start) >= _minutes(end):
                raise InvalidInput.field(name, f"{start} to {end} ends before it starts.")
            parsed.append((_minutes(start), _minutes(end), start, end))
        parsed.sort()
        for before, after in itertools.pairwise(parsed):
            if after[0] < before[1]:
                raise InvalidInput.field(
                    name, f"{before[2]} to {before[3]} and {after[2]} to {after[3]} overlap."
                )
        if parsed:
            found[str(day)] = [[start, end] for _, _, start, end in parsed]
    return found


def check_closed_dates(values: object) -> list[str]:
    if not isinstance(values, list) or len(values) > limits.CLOSED_DATES_MAX:
        raise InvalidInput.field(
            "closed_dates", f"List at most {limits.CLOSED_DATES_MAX} dates as YYYY-MM-DD."
        )
    days: set[str] = set()
    for value in values:
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            days.add(date.fromisoformat(value).isoformat())
        except ValueError:
            raise InvalidInput.field(
                "closed_dates", f"{str(value)[:20]!r} is not a date as YYYY-MM-DD."
            ) from None
    return sorted(days)


def check_text(
    value: Any, *, field: str, max_length: int, default: str, allow_empty: bool = False
) -> str:
    """A text with its line ends made "\\n" and its outer space trimmed; None
    (left out) is the default."""
    if value is None:
        return default
    text = str(value).replace("\r\n", "\n").strip()
    if not text and not allow_empty:
        raise InvalidInput.field(field, "Write a text, or leave the field out for the default.")
    if len(text) > max_length:
        raise InvalidInput.field(field, f"Use at most {max_length:,} characters.")
    return text
