"""Settings > Practice hours (Practice Admins) and Profile > Away (staff)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huddle.accounts.models import User
from huddle.accounts.pages import admin_page
from huddle.availability import actions, queries
from huddle.availability import hours as clock
from huddle.availability.forms import AwayForm, HoursForm, day_field_name, ranges_text
from huddle.core.errors import ActionError
from huddle.core.pages import form_status, run_action
from huddle.core.views import not_found


def _run(form: forms.Form, action: Callable[[], object]) -> bool:
    """`run_action`, with the API's field names ("weekly.mon", "covering_user_id")
    turned into the form's."""

    def renamed() -> None:
        try:
            action()
        except ActionError as exc:
            exc.fields = {
                name.replace("weekly.", "weekly_").replace("covering_user_id", "covering"): text
                for name, text in exc.fields.items()
            }
            raise

    return run_action(form, renamed)


@admin_page
def practice_hours(request: HttpRequest, user: User) -> HttpResponse:
    hours = queries.practice_hours(user.practice_id)
    initial: dict[str, object] = {
        "timezone": hours.timezone,
        "closed_dates": "\n".join(hours.closed_dates),
        "after_hours_reply": hours.after_hours_reply,
        "portal_guidance": hours.portal_guidance,
        "crisis_notice": hours.crisis_notice,
    }
    initial.update({day_field_name(d): ranges_text(hours.weekly.get(d, [])) for d in clock.DAYS})
    form = HoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: actions.set_hours(
                actor=user,
                timezone_name=data["timezone"],
                weekly=form.weekly(),
                closed_dates=data["closed_dates"],
                after_hours_reply=data["after_hours_reply"],
                portal_guidance=data["portal_guidance"],
                crisis_notice=data["crisis_notice"],
            ),
        ):
            messages.success(request, "Practice hours were saved.")
            return redirect("settings_hours")
    state = queries.open_state(user.practice_id)
    context = {
        "form": form,
        "section": "settings",
        "hours": hours,
        "state": state,
        "days": [(form[day_field_name(d)]) for d in clock.DAYS],
    }
    return render(request, "availability/hours.html", context, status=form_status(form))


def _staff(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_staff_member else None


def away(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if user is None:
        if isinstance(request.user, User):
            return not_found(request)
        return redirect_to_login(request.get_full_path(), "/signin")
    now = timezone.now()
    zone = queries.practice_hours(user.practice_id).zone
    period = queries.current_away(user, now)
    initial: dict[str, object] = {}
    if period is not None:
        initial = {
            "starts_at": period.starts_at.astimezone(zone).replace(tzinfo=None),
            "ends_at": period.ends_at.astimezone(zone).replace(tzinfo=None),
            "note": period.note,
            "covering": period.covering,
        }
    form = AwayForm(request.POST or None, initial=initial, user=user, zone=zone)
    if request.method == "POST" and form.is_valid():
        covering = form.cleaned_data["covering"]
        if _run(
            form,
            lambda: actions.set_away(
                actor=user,
                starts_at=form.local("starts_at"),
                ends_at=form.local("ends_at"),
                note=form.cleaned_data["note"],
                covering_user_id=covering.pk if covering else None,
            ),
        ):
            messages.success(request, "Your away period was saved.")
            return redirect("profile_away")
    context = {
        "form": form,
        "period": period,
        "active": period is not None and period.starts_at <= now,
        "zone": zone,
        "section": "profile",
    }
    return render(request, "availability/away.html", context, status=form_status(form))


@require_POST
def away_end(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    if user is None:
        return not_found(request)
    try:
        actions.end_away(actor=user)
    except ActionError:
        return redirect("profile_away")  # nothing to end: already over
    messages.success(request, "You are no longer away.")
    return redirect("profile_away")
