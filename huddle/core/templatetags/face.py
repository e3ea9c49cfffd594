"""The small pieces of Huddle's look shared by every page: initials avatars and
the names on a thread (docs/FACE.md)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

from django import template

register = template.Library()

# Background colours of the avatars: each holds white text at 4.5:1 or more.
AVATAR_TONES = 6


@register.filter
def initials(name: str) -> str:
    """ "Priya Shah" → "PS", "Leo" → "L", "" → "?"."""
    words = [w for w in str(name).replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


@register.filter
def avatar_tone(name: str) -> int:
    """The same person always gets the same colour (1..AVATAR_TONES)."""
    return zlib.crc32(str(name).encode()) % AVATAR_TONES + 1


def _name(person: Any) -> str:
    return str(getattr(person, "name", None) or getattr(getattr(person, "user", None), "name", ""))


def _id(person: Any) -> int | None:
    value = getattr(person, "id", None)
    if value is None:
        value = getattr(person, "user_id", None)
    return value if isinstance(value, int) else None


@register.simple_tag
def thread_people(
    people: Iterable[Any], groups: Iterable[str], viewer_id: int, most: int = 3
) -> str:
    """Who a thread is with, for its row in a list: the groups it was sent to,
    then the other people by name ("Front desk · Marcus Bell, Leo Martin +2")."""
    names = [_name(p) for p in people if _id(p) != viewer_id]
    shown = ", ".join(names[:most])
    if len(names) > most:
        shown += f" +{len(names) - most}"
    group_part = ", ".join(groups)
    if group_part and shown:
        return f"{group_part} · {shown}"
    return group_part or shown or "Only you"
