"""Availability's JSON API (API.md, "Availability"): practice hours and away."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from huddle.accounts.api import caller
from huddle.availability import actions, queries
from huddle.availability.schemas import AwayIn, AwayOut, HoursIn, HoursOut, away_out, hours_out
from huddle.core.apitypes import Error
from huddle.core.errors import NotFound

router = Router(tags=["availability"])


@router.get("/practice/hours", response={200: HoursOut, 401: Error})
def get_hours(request: HttpRequest) -> HoursOut:
    """Everyone of the practice reads its hours and texts, clients included."""
    return hours_out(queries.practice_hours(caller(request).practice_id))


@router.put("/practice/hours", response={200: HoursOut, 400: Error, 401: Error, 403: Error})
def put_hours(request: HttpRequest, payload: HoursIn) -> HoursOut:
    user = caller(request)
    actions.set_hours(
        actor=user,
        timezone_name=payload.timezone,
        weekly=payload.weekly,
        closed_dates=payload.closed_dates,
        after_hours_reply=payload.after_hours_reply,
        portal_guidance=payload.portal_guidance,
        crisis_notice=payload.crisis_notice,
    )
    return hours_out(queries.practice_hours(user.practice_id))


@router.get("/me/away", response={200: AwayOut, 401: Error, 403: Error, 404: Error})
def get_away(request: HttpRequest) -> AwayOut:
    now = timezone.now()
    period = queries.current_away(caller(request), now)
    if period is None:
        raise NotFound
    return away_out(period, now)


@router.put("/me/away", response={200: AwayOut, 400: Error, 401: Error, 403: Error})
def put_away(request: HttpRequest, payload: AwayIn) -> AwayOut:
    now = timezone.now()
    period = actions.set_away(
        actor=caller(request),
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        note=payload.note,
        covering_user_id=payload.covering_user_id,
        now=now,
    )
    return away_out(period, now)


@router.delete("/me/away", response={204: None, 401: Error, 403: Error, 404: Error})
def delete_away(request: HttpRequest) -> Status[None]:
    actions.end_away(actor=caller(request))
    return Status(204, None)
