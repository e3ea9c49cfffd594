"""Every change to availability goes through these functions (STYLE.md 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from huddle import audit
from huddle.accounts.access import require_practice_admin, require_staff
from huddle.accounts.models import Kind, Role, User, with_roles
from huddle.accounts.signals import staff_access_changed
from huddle.availability import checks
from huddle.availability.models import (
    DEFAULT_AFTER_HOURS_REPLY,
    DEFAULT_CRISIS_NOTICE,
    DEFAULT_PORTAL_GUIDANCE,
    AwayPeriod,
    Coverage,
    PracticeHours,
)
from huddle.core import limits
from huddle.core.errors import InvalidInput, NotFound

CLINICAL_ROLES = {Role.CLINICIAN.value, Role.SUPERVISOR.value, Role.CLINICAL_ADMIN.value}


@transaction.atomic
def set_hours(
    *,
    actor: User,
    timezone_name: Any,
    weekly: Any,
    closed_dates: Any = (),
    after_hours_reply: Any = None,
    portal_guidance: Any = None,
    crisis_notice: Any = None,
) -> PracticeHours:
    """Replace the practice's hours and texts as a whole (PUT); a text left out
    is its default."""
    require_practice_admin(actor)
    values = {
        "timezone": checks.check_timezone(timezone_name),
        "weekly": checks.check_weekly(weekly),
        "closed_dates": checks.check_closed_dates(list(closed_dates)),
        "after_hours_reply": checks.check_text(
            after_hours_reply,
            field="after_hours_reply",
            max_length=limits.AFTER_HOURS_REPLY_MAX,
            default=DEFAULT_AFTER_HOURS_REPLY,
        ),
        "portal_guidance": checks.check_text(
            portal_guidance,
            field="portal_guidance",
            max_length=limits.PORTAL_GUIDANCE_MAX,
            default=DEFAULT_PORTAL_GUIDANCE,
            allow_empty=True,
        ),
        "crisis_notice": checks.check_text(
            crisis_notice,
            field="crisis_notice",
            max_length=limits.CRISIS_NOTICE_MAX,
            default=DEFAULT_CRISIS_NOTICE,
        ),
    }
    row, _ = PracticeHours.objects.update_or_create(practice_id=actor.practice_id, defaults=values)
    audit.record(
        audit.Action.HOURS_CHANGED,
        actor=actor,
        object_type=audit.ObjectType.PRACTICE,
        object_id=actor.practice_id,
    )
    return row


def _check_covering(user: User, covering_id: int | None) -> User | None:
    if covering_id is None:
        return None
    if covering_id == user.pk:
        raise InvalidInput.field("covering_user_id", "Choose a colleague other than yourself.")
    covering = (
        User.objects.filter(
            pk=covering_id, practice_id=user.practice_id, kind=Kind.STAFF, is_active=True
        )
        .prefetch_related(with_roles())
        .first()
    )
    if covering is None:
        raise InvalidInput.field("covering_user_id", "Choose an active colleague of your practice.")
    if Role.CLINICIAN.value in user.role_set() and not covering.role_set() & CLINICAL_ROLES:
        raise InvalidInput.field(
            "covering_user_id",
            "Choose a clinician, supervisor or clinical admin to cover your clients.",
        )
    return covering


@transaction.atomic
def set_away(
    *,
    actor: User,
    starts_at: datetime,
    ends_at: datetime,
    note: str = "",
    covering_user_id: int | None = None,
    now: datetime | None = None,
) -> AwayPeriod:
    """Set the caller's away period (PUT replaces the current or next one); a
    start in the past starts now."""
    require_staff(actor)
    now = now or timezone.now()
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        try:
            in_range = 2000 <= value.astimezone(UTC).year <= 2999
        except OverflowError:
            in_range = False
        if not in_range:
            raise InvalidInput.field(name, "Choose a time between the years 2000 and 2999.")
    starts_at = max(starts_at, now)
    if ends_at <= starts_at:
        raise InvalidInput.field("ends_at", "Choose an end after the start (and after now).")
    if ends_at - starts_at > timedelta(days=limits.AWAY_DAYS_MAX):
        raise InvalidInput.field("ends_at", f"Be away at most {limits.AWAY_DAYS_MAX} days at once.")
    note = checks.check_text(
        note, field="note", max_length=limits.AWAY_NOTE_MAX, default="", allow_empty=True
    )
    covering = _check_covering(actor, covering_user_id)
    period = (
        AwayPeriod.objects.select_for_update()
        .filter(user=actor, ends_at__gt=now)
        .order_by("starts_at")
        .first()
    )
    before = period.covering if period is not None else None
    if period is None:
        period = AwayPeriod(user=actor, practice_id=actor.practice_id)
    elif period.starts_at <= now:
        starts_at = period.starts_at  # the same absence goes on: its notices stay sent
    period.starts_at, period.ends_at, period.note, period.covering = (
        starts_at,
        ends_at,
        note,
        covering,
    )
    period.save()
    audit.record(
        audit.Action.AWAY_SET,
        actor=actor,
        object_type=audit.ObjectType.USER,
        object_id=actor.pk,
        detail="covered" if covering else "",
    )
    if before != covering and period.coverage == Coverage.ACTIVE:
        # Another colleague covers from now: the old one's coverage ends here.
        if before is not None:
            _end_coverage(period, before)
        period.coverage = Coverage.PENDING
    sync_coverage(period, now=now)
    return period


@transaction.atomic
def end_away(*, actor: User, now: datetime | None = None) -> None:
    """DELETE: an absence under way ends now; one still to come is dropped."""
    now = now or timezone.now()
    period = (
        AwayPeriod.objects.select_for_update(of=("self",))
        .filter(user=actor, ends_at__gt=now)
        .select_related("covering")
        .order_by("starts_at")
        .first()
    )
    if period is None:
        raise NotFound
    audit.record(
        audit.Action.AWAY_ENDED, actor=actor, object_type=audit.ObjectType.USER, object_id=actor.pk
    )
    if period.starts_at > now:
        period.delete()
        return
    period.ends_at = now
    period.save(update_fields=["ends_at"])
    sync_coverage(period, now=now)


def _end_coverage(period: AwayPeriod, covering: User) -> None:
    staff_access_changed.send(sender=User, staff=[covering])
    audit.record(
        audit.Action.COVERAGE_ENDED,
        actor=covering,
        object_type=audit.ObjectType.USER,
        object_id=period.user_id,
    )


def sync_coverage(period: AwayPeriod, *, now: datetime) -> bool:
    """Give or take the covering colleague's places on the absent person's client
    threads as the period starts or ends; says whether anything changed."""
    if period.ends_at <= now:
        wanted = Coverage.DONE
    elif period.starts_at <= now and period.covering_id is not None:
        wanted = Coverage.ACTIVE
    else:
        wanted = Coverage.PENDING
    if period.coverage == wanted and wanted != Coverage.ACTIVE:
        return False
    was_active = period.coverage == Coverage.ACTIVE
    AwayPeriod.objects.filter(pk=period.pk).update(coverage=wanted)
    period.coverage = wanted
    if period.covering is None:
        return True
    staff_access_changed.send(sender=User, staff=[period.covering])
    if wanted == Coverage.ACTIVE and not was_active:
        action = audit.Action.COVERAGE_STARTED
    elif was_active and wanted != Coverage.ACTIVE:
        action = audit.Action.COVERAGE_ENDED
    else:
        return True
    audit.record(
        action, actor=period.covering, object_type=audit.ObjectType.USER, object_id=period.user_id
    )
    return True


def sweep(*, now: datetime | None = None, limit: int = 100) -> int:
    """One batch of away periods whose coverage must start or end by now (the
    worker calls it); answers how many it moved along."""
    now = now or timezone.now()
    due = list(
        AwayPeriod.objects.filter(coverage=Coverage.PENDING, starts_at__lte=now)
        .exclude(covering__isnull=True, ends_at__gt=now)
        .select_related("covering")[:limit]
    ) + list(
        AwayPeriod.objects.filter(coverage=Coverage.ACTIVE, ends_at__lte=now).select_related(
            "covering"
        )[:limit]
    )
    moved = 0
    for period in due:
        with transaction.atomic():
            moved += sync_coverage(period, now=now)
    return moved
