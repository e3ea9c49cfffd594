"""Single-use links emailed to a person, with which they choose their own
password or confirm their address: nobody else ever sets or knows it.

- an invitation, for a new account (and when a client's portal access is
  turned on before they have a password): it also confirms the address;
- a reset, asked for by the person ("Forgot password?") or sent by a Practice
  Admin: it lasts 30 minutes;
- an address confirmation, when a Practice Admin changes someone's email.

A link is a random 256-bit token of which only the SHA-256 is stored. Issuing
one ends the person's earlier unused links; using one ends it and every other
link of the person, and signs them out everywhere. An address that already
belongs to another account gets no link, only a notice (no second account is
made), and the answer to the Practice Admin is the same as for a new address:
that is what keeps one practice from learning about another's accounts.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from huddle import audit
from huddle.accounts import mail
from huddle.accounts.models import LinkPurpose, PasswordLink, User, hash_token
from huddle.accounts.passwords import check_password_strength
from huddle.accounts.sessions import end_sign_ins
from huddle.core.errors import InvalidInput
from huddle.core.text import normalize_email

INVITATION_HOURS = 72
CONFIRM_HOURS = 72
RESET_MINUTES = 30
# "Forgot password?": at most this many reset emails to one account an hour.
RESETS_PER_HOUR = 3
PLACEHOLDER_DOMAIN = "pending.invalid"
EXPIRED = "This link has expired or was already used. Ask for a new one."
ADDRESS_TAKEN = "This address now belongs to another account: ask your practice."

LIFETIMES = {
    LinkPurpose.INVITATION: timedelta(hours=INVITATION_HOURS),
    LinkPurpose.RESET: timedelta(minutes=RESET_MINUTES),
    LinkPurpose.CONFIRM_EMAIL: timedelta(hours=CONFIRM_HOURS),
}


def placeholder_email() -> str:
    """What `User.email` holds until the person confirms their address: unique,
    and no one can type it to sign in (`.invalid` is reserved)."""
    return f"unconfirmed-{secrets.token_hex(12)}@{PLACEHOLDER_DOMAIN}"


def is_placeholder(email: str) -> bool:
    return email.endswith("@" + PLACEHOLDER_DOMAIN)


def _address_taken(user: User, address: str) -> bool:
    return User.objects.filter(email=address).exclude(pk=user.pk).exists()


def issue(*, user: User, purpose: LinkPurpose, send: bool = True) -> str | None:
    """A new link for `user`, emailed after commit; returns the raw token (for the
    operator's own tooling only: pages and the API never show it). For a link
    that confirms an address already used by another account: no link, a notice
    to that address's owner, and None."""
    address = user.pending_email if purpose != LinkPurpose.RESET else user.email
    if purpose != LinkPurpose.RESET and _address_taken(user, address):
        if send:
            mail.send_after_commit("address in use", address, mail.ADDRESS_IN_USE)
        return None
    now = timezone.now()
    PasswordLink.objects.filter(user=user, used_at__isnull=True).delete()
    raw = secrets.token_urlsafe(32)
    PasswordLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=hash_token(raw),
        created_at=now,
        expires_at=now + LIFETIMES[purpose],
    )
    if send:
        template = {
            LinkPurpose.INVITATION: mail.INVITATION,
            LinkPurpose.RESET: mail.RESET,
            LinkPurpose.CONFIRM_EMAIL: mail.CONFIRM_EMAIL,
        }[purpose]
        mail.send_after_commit(
            f"{purpose} link",
            address,
            template,
            link=mail.site_link(f"/account/link?token={raw}"),
            hours=str(INVITATION_HOURS),
            minutes=str(RESET_MINUTES),
        )
    return raw


def purpose_for(user: User) -> LinkPurpose:
    """The link a person needs now: an invitation until they have a password,
    an address confirmation while a new address waits, else a reset."""
    if not user.has_usable_password():
        return LinkPurpose.INVITATION
    if user.pending_email:
        return LinkPurpose.CONFIRM_EMAIL
    return LinkPurpose.RESET


def find(raw: str, *, now: datetime | None = None) -> PasswordLink | None:
    """The unused, unexpired link of this token, with its user; else None."""
    now = now or timezone.now()
    return (
        PasswordLink.objects.select_related("user", "user__practice")
        .filter(token_hash=hash_token(raw), used_at__isnull=True, expires_at__gt=now)
        .first()
    )


@transaction.atomic
def use(*, token: str, password: str | None) -> User:
    """The person follows their link: sets their password (invitation, reset)
    and/or confirms their address (invitation, address confirmation). The link
    and the person's other links end; they are signed out everywhere."""
    now = timezone.now()
    link = (
        PasswordLink.objects.select_for_update()
        .filter(token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if link is None:
        raise InvalidInput(EXPIRED)
    user = User.objects.select_related("practice").get(pk=link.user_id)
    fields: list[str] = []
    if link.purpose != LinkPurpose.CONFIRM_EMAIL:
        check_password_strength(password or "", user=user)
        user.set_password(password)
        fields.append("password")
    if link.purpose != LinkPurpose.RESET and user.pending_email:
        if _address_taken(user, user.pending_email):
            raise InvalidInput(ADDRESS_TAKEN)
        user.email, user.pending_email = user.pending_email, ""
        fields += ["email", "pending_email"]
    try:
        with transaction.atomic():
            user.save(update_fields=fields)
    except IntegrityError:  # the address was taken a moment ago
        raise InvalidInput(ADDRESS_TAKEN) from None
    PasswordLink.objects.filter(pk=link.pk).update(used_at=now)
    PasswordLink.objects.filter(user=user, used_at__isnull=True).delete()
    end_sign_ins(user)
    action = {
        LinkPurpose.INVITATION: audit.Action.INVITATION_ACCEPTED,
        LinkPurpose.RESET: audit.Action.PASSWORD_RESET,
        LinkPurpose.CONFIRM_EMAIL: audit.Action.EMAIL_CONFIRMED,
    }[LinkPurpose(link.purpose)]
    audit.record(action, actor=user, object_type=audit.ObjectType.USER, object_id=user.pk)
    return user


@transaction.atomic
def request_reset(*, email: str, kind: str) -> None:
    """ "Forgot password?": a reset link to the address if it is an active `kind`
    account with a password, at most RESETS_PER_HOUR an hour. The caller answers
    the same in every case (the address's owner is the only one who learns)."""
    user = User.objects.filter(email=normalize_email(email), kind=kind).first()
    if user is None or not user.is_active or not user.has_usable_password():
        return
    since = timezone.now() - timedelta(hours=1)
    recent = audit.count_recent(audit.Action.PASSWORD_RESET_REQUESTED, actor=user, since=since)
    if recent >= RESETS_PER_HOUR:
        return
    issue(user=user, purpose=LinkPurpose.RESET)
    audit.record(
        audit.Action.PASSWORD_RESET_REQUESTED,
        actor=user,
        object_type=audit.ObjectType.USER,
        object_id=user.pk,
    )


def first_password(*, user: User, password: str) -> User:
    """Operator tooling (the demo, the tests' personas): what the person does with
    their invitation, without the email. Never reachable from a page or the API."""
    raw = issue(user=user, purpose=purpose_for(user), send=False)
    if raw is None:
        raise InvalidInput.field("email", ADDRESS_TAKEN)
    return use(token=raw, password=password)
