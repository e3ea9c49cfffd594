"""Every change to a practice, its settings and its locations goes through these."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from huddle import audit
from huddle.accounts.access import require_practice_admin
from huddle.accounts.actions import add_practice_admin
from huddle.accounts.models import User
from huddle.core import limits
from huddle.core.errors import Conflict, InvalidInput
from huddle.core.text import clean_line
from huddle.practices.models import Location, Practice
from huddle.twofactor.actions import end_tokens_without_two_factor

NEEDS_SECURE = "Practice Messaging can only be on while Secure Messaging is on."
LOCATION_TAKEN = "The practice already has a location with this name."


def check_practice_name(name: str) -> str:
    return clean_line(
        name, field="name", max_length=limits.PRACTICE_NAME_MAX, empty="Enter the practice's name."
    )


@transaction.atomic
def create_practice(
    *, name: str, admin_name: str, admin_email: str, admin_password: str
) -> tuple[Practice, User]:
    """Onboard a practice with its first Practice Admin. Messaging starts off."""
    practice = Practice.objects.create(name=check_practice_name(name))
    admin = add_practice_admin(
        practice=practice, name=admin_name, email=admin_email, password=admin_password
    )
    return practice, admin


@transaction.atomic
def update_messaging_settings(
    *,
    actor: User,
    secure_messaging_enabled: bool | None = None,
    practice_messaging_enabled: bool | None = None,
    auto_archive_days: int | None = None,
    session_idle_minutes: int | None = None,
    require_two_factor: bool | None = None,
    client_read_receipts: bool | None = None,
    urgent_escalation_minutes: int | None = None,
) -> Practice:
    """Settings > Secure Messaging. Fields left None keep their value."""
    require_practice_admin(actor)
    asked = {
        "secure_messaging_enabled": secure_messaging_enabled,
        "practice_messaging_enabled": practice_messaging_enabled,
        "auto_archive_days": auto_archive_days,
        "session_idle_minutes": session_idle_minutes,
        "require_two_factor": require_two_factor,
        "client_read_receipts": client_read_receipts,
        "urgent_escalation_minutes": urgent_escalation_minutes,
    }
    practice = Practice.objects.select_for_update().get(pk=actor.practice_id)
    secure = (
        practice.secure_messaging_enabled
        if secure_messaging_enabled is None
        else secure_messaging_enabled
    )
    internal = (
        practice.practice_messaging_enabled
        if practice_messaging_enabled is None
        else practice_messaging_enabled
    )
    if practice_messaging_enabled and not secure:
        raise InvalidInput.field("practice_messaging_enabled", NEEDS_SECURE)
    if not secure:
        internal = False  # Turning Secure Messaging off turns both off.
    practice.secure_messaging_enabled = secure
    practice.practice_messaging_enabled = internal
    if auto_archive_days is not None:
        if auto_archive_days not in limits.AUTO_ARCHIVE_DAYS:
            raise InvalidInput.field("auto_archive_days", "Choose 14, 30 or 60 days.")
        practice.auto_archive_days = auto_archive_days
    if session_idle_minutes is not None:
        low, high = limits.SESSION_IDLE_MIN, limits.SESSION_IDLE_MAX
        if not low <= session_idle_minutes <= high:
            raise InvalidInput.field(
                "session_idle_minutes", f"Choose between {low} and {high} minutes."
            )
        practice.session_idle_minutes = session_idle_minutes
    if require_two_factor is not None:
        if require_two_factor and not practice.require_two_factor:
            # Tokens issued without a code end (sessions are held back for set-up).
            end_tokens_without_two_factor(practice=practice)
        practice.require_two_factor = require_two_factor
    # conversation (F17, F20)
    if client_read_receipts is not None:
        practice.client_read_receipts = client_read_receipts
    if urgent_escalation_minutes is not None:
        low, high = limits.URGENT_ESCALATION_MIN, limits.URGENT_ESCALATION_MAX
        if not low <= urgent_escalation_minutes <= high:
            raise InvalidInput.field(
                "urgent_escalation_minutes", f"Choose between {low} and {high} minutes."
            )
        practice.urgent_escalation_minutes = urgent_escalation_minutes
    practice.save()
    actor.practice = practice
    audit.record(
        audit.Action.SETTINGS_CHANGED,
        actor=actor,
        object_type=audit.ObjectType.PRACTICE,
        object_id=practice.pk,
        detail=audit.fields_detail(name for name, value in asked.items() if value is not None),
    )
    return practice


def check_location_name(name: str) -> str:
    return clean_line(
        name, field="name", max_length=limits.LOCATION_NAME_MAX, empty="Enter the location's name."
    )


def _save_location(location: Location) -> None:
    taken = Location.objects.filter(practice=location.practice, name__iexact=location.name)
    if location.pk is not None:
        taken = taken.exclude(pk=location.pk)
    if taken.exists():
        raise Conflict(LOCATION_TAKEN, fields={"name": LOCATION_TAKEN})
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError:
        raise Conflict(LOCATION_TAKEN, fields={"name": LOCATION_TAKEN}) from None


@transaction.atomic
def create_location(*, actor: User, name: str) -> Location:
    require_practice_admin(actor)
    location = Location(practice_id=actor.practice_id, name=check_location_name(name))
    _save_location(location)
    audit.record(
        audit.Action.LOCATION_ADDED,
        actor=actor,
        object_type=audit.ObjectType.LOCATION,
        object_id=location.pk,
    )
    return location


@transaction.atomic
def rename_location(*, actor: User, location: Location, name: str) -> Location:
    require_practice_admin(actor)
    location.name = check_location_name(name)
    _save_location(location)
    audit.record(
        audit.Action.LOCATION_RENAMED,
        actor=actor,
        object_type=audit.ObjectType.LOCATION,
        object_id=location.pk,
    )
    return location
