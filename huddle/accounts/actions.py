"""Every change to staff accounts and API tokens goes through these functions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from huddle import audit
from huddle.accounts.access import require_practice_admin
from huddle.accounts.models import ApiToken, Kind, Role, User, UserRole, hash_token, normalize_email
from huddle.accounts.passwords import check_password_strength
from huddle.core import limits
from huddle.core.errors import Conflict, InvalidInput
from huddle.core.text import clean_line
from huddle.messaging.audiences import sync_staff_access
from huddle.practices.models import Location, Practice

EMAIL_TAKEN = "This email is already used by another account."
LAST_ADMIN = "The practice needs at least one active Practice Admin."


def check_name(name: str, field: str = "name") -> str:
    return clean_line(name, field=field, max_length=limits.NAME_MAX, empty="Enter a name.")


def check_email(email: str, *, exclude_user_id: int | None = None) -> str:
    email = normalize_email(email)
    if not email:
        raise InvalidInput.field("email", "Enter an email address.")
    if len(email) > limits.EMAIL_MAX:
        raise InvalidInput.field("email", f"Use at most {limits.EMAIL_MAX} characters.")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput.field("email", "Enter a valid email address.") from None
    taken = User.objects.filter(email=email)
    if exclude_user_id is not None:
        taken = taken.exclude(pk=exclude_user_id)
    if taken.exists():
        raise Conflict(EMAIL_TAKEN, fields={"email": EMAIL_TAKEN})
    return email


def check_roles(roles: Iterable[str]) -> set[str]:
    chosen = set(roles)
    unknown = chosen - set(Role.values)
    if unknown:
        raise InvalidInput.field("roles", f"Unknown role: {sorted(unknown)[0]}.")
    if not chosen:
        raise InvalidInput.field("roles", "Choose at least one role.")
    return chosen


def check_locations(practice: Practice, location_ids: Iterable[int]) -> list[Location]:
    wanted = set(location_ids)
    if len(wanted) > limits.ID_LIST_MAX:
        raise InvalidInput.field("location_ids", "Too many locations.")
    found = list(Location.objects.filter(practice=practice, pk__in=wanted))
    if len(found) != len(wanted):
        raise InvalidInput.field("location_ids", "Choose locations of this practice.")
    return found


def _check_keeps_an_admin(practice: Practice, *, without_user_id: int) -> None:
    others = (
        User.objects.filter(practice=practice, kind=Kind.STAFF, is_active=True)
        .filter(roles__role=Role.PRACTICE_ADMIN)
        .exclude(pk=without_user_id)
    )
    if not others.exists():
        raise InvalidInput.field("roles", LAST_ADMIN)


def set_first_password(user: User, password: str | None) -> None:
    """A new account's password; without one, the account cannot sign in yet."""
    if password:
        check_password_strength(password, user=user)
        user.set_password(password)
    else:
        user.set_unusable_password()


def change_account(
    user: User, *, name: str | None, email: str | None, password: str | None
) -> list[str]:
    """Apply the changes to what every account has; returns the fields changed."""
    fields: list[str] = []
    if name is not None:
        user.name = check_name(name)
        fields.append("name")
    if email is not None:
        user.email = check_email(email, exclude_user_id=user.pk)
        fields.append("email")
    if password:
        check_password_strength(password, user=user)
        user.set_password(password)
        fields.append("password")
    return fields


def save_new_user(user: User) -> None:
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Two requests raced for the same email: the unique index decides.
        raise Conflict(EMAIL_TAKEN, fields={"email": EMAIL_TAKEN}) from None


@transaction.atomic
def add_practice_admin(*, practice: Practice, name: str, email: str, password: str) -> User:
    """The first Practice Admin of a new practice (used by create_practice)."""
    user = User(practice=practice, name=check_name(name), email=check_email(email))
    check_password_strength(password, user=user)
    user.set_password(password)
    save_new_user(user)
    UserRole.objects.create(user=user, role=Role.PRACTICE_ADMIN)
    audit.record(
        audit.Action.STAFF_ADDED,
        actor=None,  # the operator, from the command line
        practice_id=practice.pk,
        object_type=audit.ObjectType.USER,
        object_id=user.pk,
    )
    return user


@transaction.atomic
def create_staff(
    *,
    actor: User,
    name: str,
    email: str,
    roles: Iterable[str],
    location_ids: Iterable[int] = (),
    password: str | None = None,
) -> User:
    require_practice_admin(actor)
    practice = actor.practice
    user = User(practice=practice, kind=Kind.STAFF, name=check_name(name), email=check_email(email))
    chosen_roles = check_roles(roles)
    chosen_locations = check_locations(practice, location_ids)
    set_first_password(user, password)
    save_new_user(user)
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(chosen_roles)])
    user.locations.set(chosen_locations)
    # A new biller, scheduler, supervisor... sees the client threads their roles
    # cover, older ones included, as one given the role later does.
    sync_staff_access(user)
    audit.record(
        audit.Action.STAFF_ADDED, actor=actor, object_type=audit.ObjectType.USER, object_id=user.pk
    )
    return user


@transaction.atomic
def update_staff(
    *,
    actor: User,
    staff: User,
    name: str | None = None,
    email: str | None = None,
    roles: Iterable[str] | None = None,
    location_ids: Iterable[int] | None = None,
    is_active: bool | None = None,
    password: str | None = None,
) -> User:
    """Edit a staff member; `is_active=False` deactivates (sign-in, sessions and
    tokens stop at once), `True` reactivates."""
    require_practice_admin(actor)
    practice = actor.practice
    fields = change_account(staff, name=name, email=email, password=password)
    new_roles = check_roles(roles) if roles is not None else None
    roles_before = staff.role_set() if new_roles is not None else set()
    losing_admin = new_roles is not None and Role.PRACTICE_ADMIN.value not in new_roles
    if is_active is False and staff.pk == actor.pk:
        raise InvalidInput.field("is_active", "You cannot deactivate your own account.")
    if staff.is_practice_admin and (losing_admin or is_active is False):
        _check_keeps_an_admin(practice, without_user_id=staff.pk)
    if is_active is not None and is_active != staff.is_active:
        staff.is_active = is_active
        fields.append("is_active")
    if fields:
        staff.save(update_fields=fields)
    if new_roles is not None:
        UserRole.objects.filter(user=staff).exclude(role__in=new_roles).delete()
        have = set(UserRole.objects.filter(user=staff).values_list("role", flat=True))
        UserRole.objects.bulk_create(
            [UserRole(user=staff, role=r) for r in sorted(new_roles - have)]
        )
    if location_ids is not None:
        staff.locations.set(check_locations(practice, location_ids))
    if is_active is False or password:
        # Everything signed in as this person ends now.
        end_sign_ins(staff)
    if new_roles is not None or "is_active" in fields:
        # Which client threads they may see follows their roles at once.
        sync_staff_access(staff)
    audit.record_staff_change(
        actor=actor,
        staff=staff,
        fields=[*fields, *(["locations"] if location_ids is not None else [])],
        roles_changed=new_roles is not None and new_roles != roles_before,
    )
    return staff


def end_sign_ins(user: User) -> None:
    """End every browser session and API token of `user` (call inside a transaction).

    Sessions end because the user's session hash changes with the generation
    (`User._get_session_auth_hash`); the event stream re-checks the same hash.
    """
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])
    ApiToken.objects.filter(user=user).delete()


@transaction.atomic
def sign_out_everywhere(*, user: User) -> None:
    """Sign out everywhere: every session and API token of the user ends, this one too."""
    end_sign_ins(user)
    audit.record(audit.Action.SIGNED_OUT_EVERYWHERE, actor=user)


@transaction.atomic
def issue_token(*, user: User) -> tuple[str, ApiToken]:
    """A new API token for a user already authenticated; returns the raw token once."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(hours=settings.API_TOKEN_HOURS),
    )
    audit.record(
        audit.Action.TOKEN_ISSUED,
        actor=user,
        object_type=audit.ObjectType.TOKEN,
        object_id=token.pk,
    )
    return raw, token


@transaction.atomic
def revoke_token(*, token: ApiToken) -> None:
    audit.record(
        audit.Action.TOKEN_REVOKED,
        actor=token.user,
        object_type=audit.ObjectType.TOKEN,
        object_id=token.pk,
    )
    ApiToken.objects.filter(pk=token.pk).delete()
