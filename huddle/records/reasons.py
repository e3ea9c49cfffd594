"""The one rule for a reason a person gives (an export, a hold, emergency access)."""

from __future__ import annotations

from huddle.core.errors import InvalidInput
from huddle.records.models import REASON_MAX, REASON_MIN


def check_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if len(text) < REASON_MIN:
        raise InvalidInput.field(
            "reason", f"Give a reason of at least {REASON_MIN} characters; it is kept."
        )
    if len(text) > REASON_MAX:
        raise InvalidInput.field("reason", f"Use at most {REASON_MAX} characters.")
    return text
