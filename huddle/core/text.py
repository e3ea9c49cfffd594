"""Checks for the one-line texts people type: names, subjects, location names."""

from __future__ import annotations

from huddle.core.errors import InvalidInput


def clean_line(value: str, *, field: str, max_length: int, empty: str) -> str:
    """`value` with its runs of white space made single spaces; refused when
    empty or longer than `max_length`, naming `field`."""
    value = " ".join(value.split())
    if not value:
        raise InvalidInput.field(field, empty)
    if len(value) > max_length:
        raise InvalidInput.field(field, f"Use at most {max_length} characters.")
    return value
