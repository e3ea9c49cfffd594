from __future__ import annotations

from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone

from huddle.accounts.models import User
from huddle.availability.models import DEFAULT_TIMEZONE, PracticeHours
from huddle.availability.queries import active_away
from huddle.practices.models import Practice


def away(request: HttpRequest) -> dict[str, object]:
    """On every signed-in page (1 statement): the practice's timezone, in which
    app.js shows times, and whether the staff member is away (the header says so)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    row = (
        Practice.objects.filter(pk=user.practice_id)
        .annotate(
            zone=Subquery(
                PracticeHours.objects.filter(practice=OuterRef("pk")).values("timezone")[:1]
            ),
            away=Exists(active_away(timezone.now()).filter(user_id=user.pk)),
        )
        .values_list("zone", "away")
        .first()
    )
    zone, is_away = row if row is not None else (None, False)
    return {
        "practice_timezone": zone or DEFAULT_TIMEZONE,
        "away_now": bool(is_away) and user.is_staff_member,
    }
