"""Every change to staff accounts and API tokens, and every failed sign-in, goes
through these functions."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from huddle import audit
from huddle.accounts import links, mail
from huddle.accounts.access import require_practice_admin
from huddle.accounts.models import ApiToken, Kind, Role, User, UserRole, hash_token
from huddle.accounts.passwords import check_password_strength
from huddle.accounts.sessions import end_sign_ins
from huddle.accounts.signals import staff_access_changed
from huddle.core import limits, ratelimit
from huddle.core.errors import Conflict, InvalidInput, NotFound
from huddle.core.text import clean_line, normalize_email
from huddle.practices.models import Location, Practice
from huddle.throttle import guard

EMAIL_TAKEN = "This email is already used by another account."
LAST_ADMIN = "The practice needs at least one active Practice Admin."
NO_ADMIN_PASSWORDS = (
    "Practice Admins do not set passwords: Huddle emails the person a link to choose"
    " their own (Send a sign-in link)."
)


def check_name(name: str, field: str = "name") -> str:
    return clean_line(name, field=field, max_length=limits.NAME_MAX, empty="Enter a name.")


def check_email(email: str) -> str:
    """A well-formed address, lower-cased. Whether another account uses it is not
    checked here: a new address waits for its owner's confirmation (links.py)."""
    email = normalize_email(email)
    if not email:
        raise InvalidInput.field("email", "Enter an email address.")
    if len(email) > limits.EMAIL_MAX:
        raise InvalidInput.field("email", f"Use at most {limits.EMAIL_MAX} characters.")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput.field("email", "Enter a valid email address.") from None
    return email


def check_email_free(email: str) -> str:
    """The operator's first Practice Admin: an address no account uses yet."""
    email = check_email(email)
    if User.objects.filter(email=email).exists():
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


def refuse_password(password: str | None) -> None:
    """A Practice Admin never sets or knows anyone's password: the person chooses
    it through an emailed link (links.py)."""
    if password is not None:
        raise InvalidInput.field("password", NO_ADMIN_PASSWORDS)


def new_account(*, practice: Practice, kind: str, name: str, email: str, is_active: bool) -> User:
    """A new account, unconfirmed: its address waits in `pending_email` until its
    owner follows the invitation, and it has no password until they choose one."""
    user = User(
        practice=practice,
        kind=kind,
        name=check_name(name),
        email=links.placeholder_email(),
        pending_email=check_email(email),
        is_active=is_active,
    )
    user.set_unusable_password()
    return user


def change_account(user: User, *, name: str | None, email: str | None) -> list[str]:
    """Apply the changes to what every account has; returns the fields changed.
    A new address waits for its owner's confirmation (`send_link` emails it)."""
    fields: list[str] = []
    if name is not None:
        user.name = check_name(name)
        fields.append("name")
    if email is not None:
        address = check_email(email)
        if address == user.email:
            if user.pending_email:
                user.pending_email = ""
                fields.append("pending_email")
        elif address != user.pending_email:
            user.pending_email = address
            fields.append("pending_email")
    return fields


def send_link(user: User) -> None:
    """Email the person the link they need now (links.purpose_for)."""
    links.issue(user=user, purpose=links.purpose_for(user))


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
    user = User(practice=practice, name=check_name(name), email=check_email_free(email))
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
    invite: bool = True,
) -> User:
    """A new staff member, invited by email to choose their password. The answer is
    the same whether or not the address already has an account elsewhere (links.py).
    `invite=False` is for the operator's tooling, which then calls
    `links.first_password` (the demo, the tests' personas)."""
    require_practice_admin(actor)
    refuse_password(password)
    practice = actor.practice
    user = new_account(practice=practice, kind=Kind.STAFF, name=name, email=email, is_active=True)
    chosen_roles = check_roles(roles)
    chosen_locations = check_locations(practice, location_ids)
    save_new_user(user)
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in sorted(chosen_roles)])
    user.locations.set(chosen_locations)
    # A new biller, scheduler, supervisor... sees the client threads their roles
    # cover, older ones included, as one given the role later does.
    staff_access_changed.send(sender=User, staff=[user])
    audit.record(
        audit.Action.STAFF_ADDED,
        actor=actor,
        object_type=audit.ObjectType.USER,
        object_id=user.pk,
        detail=roles_detail(set(), chosen_roles),
    )
    if invite:
        send_link(user)
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
    tokens stop at once), `True` reactivates. A new address is confirmed by its
    owner; a change of roles is told to the person and, when it is the admin's
    own or widens access to client threads, to the other Practice Admins."""
    require_practice_admin(actor)
    refuse_password(password)
    ratelimit.check_write(actor)
    practice = actor.practice
    fields = change_account(staff, name=name, email=email)
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
    if is_active is False:
        # Everything signed in as this person ends now.
        end_sign_ins(staff)
    if new_roles is not None or "is_active" in fields:
        # Which client threads they may see follows their roles at once.
        staff_access_changed.send(sender=User, staff=[staff])
    roles_changed = new_roles is not None and new_roles != roles_before
    audit.record_staff_change(
        actor=actor,
        staff=staff,
        fields=[*fields, *(["locations"] if location_ids is not None else [])],
        roles_changed=roles_changed,
        detail=roles_detail(roles_before, new_roles) if roles_changed and new_roles else "",
    )
    if roles_changed and new_roles is not None:
        tell_role_change(actor=actor, staff=staff, before=roles_before, after=new_roles)
    if "pending_email" in fields and staff.pending_email:
        send_link(staff)
    return staff


def _role_names(roles: Iterable[str]) -> str:
    return ", ".join(Role(r).label for r in sorted(roles)) or "none"


def roles_detail(before: set[str], after: set[str]) -> str:
    """The audit row's before/after of a change of roles (role names, never names)."""
    return f"roles: {','.join(sorted(before)) or '-'} -> {','.join(sorted(after))}"


def widens_client_access(before: set[str], after: set[str]) -> bool:
    """Every role but none reaches some client threads (messaging.audiences): a
    role added is access widened."""
    return bool(after - before)


def tell_role_change(*, actor: User, staff: User, before: set[str], after: set[str]) -> None:
    """The person hears of any change of their roles; the other active Practice
    Admins hear of a change of one's own roles and of any that widens access to
    client threads. The emails name roles, never people."""
    values = {"before": _role_names(before), "after": _role_names(after)}
    if staff.pk != actor.pk and not links.is_placeholder(staff.email):
        mail.send_after_commit("roles changed", staff.email, mail.ROLES_CHANGED, **values)
    if staff.pk == actor.pk or widens_client_access(before, after):
        who = (
            "A Practice Admin, for their own account,"
            if staff.pk == actor.pk
            else ("A Practice Admin")
        )
        others = (
            User.objects.filter(
                practice=actor.practice,
                kind=Kind.STAFF,
                is_active=True,
                roles__role=Role.PRACTICE_ADMIN,
            )
            .exclude(pk=actor.pk)
            .values_list("email", flat=True)
        )
        for address in others:
            if not links.is_placeholder(address):
                mail.send_after_commit(
                    "colleague roles changed",
                    address,
                    mail.COLLEAGUE_ROLES_CHANGED,
                    who=who,
                    **values,
                )


@transaction.atomic
def send_sign_in_link(*, actor: User, person: User) -> str:
    """A Practice Admin sends a person the link they need: an invitation until they
    have chosen a password, an address confirmation while one waits, else a
    password reset (30 minutes). The admin never sees the link."""
    require_practice_admin(actor)
    if person.practice_id != actor.practice_id:
        raise NotFound
    ratelimit.check_write(actor)
    purpose = links.purpose_for(person)
    links.issue(user=person, purpose=purpose)
    audit.record(
        audit.Action.INVITATION_SENT,
        actor=actor,
        object_type=audit.ObjectType.USER,
        object_id=person.pk,
        detail=str(purpose),
    )
    return str(purpose)


@transaction.atomic
def sign_out_everywhere(*, user: User) -> None:
    """Sign out everywhere: every session and API token of the user ends, this one too."""
    end_sign_ins(user)
    audit.record(audit.Action.SIGNED_OUT_EVERYWHERE, actor=user)


@transaction.atomic
def failed_sign_in(*, email: str, address: str | None, reason: str = "") -> None:
    """The one action for a failed sign-in, on every path (the page, the API, a
    wrong two-factor code, turning two-factor off with a wrong password or code):
    it counts toward the lockout (throttle) and is an audit row, together. The row
    names the account of this email if there is one; else nobody."""
    guard.record_failure(email=email, address=address)
    known = User.objects.filter(email=normalize_email(email)).values_list("pk", "practice_id")
    actor_id, practice_id = known.first() or (None, None)
    audit.record_sign_in_failed(actor_id=actor_id, practice_id=practice_id, reason=reason)


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
