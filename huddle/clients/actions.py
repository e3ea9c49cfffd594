"""Every change to client records goes through these functions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from huddle import audit
from huddle.accounts.access import require_practice_admin
from huddle.accounts.actions import (
    change_account,
    new_account,
    refuse_password,
    save_new_user,
    send_link,
)
from huddle.accounts.models import ApiToken, Kind, Role, User
from huddle.accounts.signals import staff_access_changed
from huddle.clients.models import Client, Messaging
from huddle.core import limits, ratelimit
from huddle.core.errors import InvalidInput
from huddle.practices.models import Practice


def check_clinicians(
    practice: Practice, clinician_ids: Iterable[int], *, keep: Iterable[int] = ()
) -> list[User]:
    """Active clinicians of the practice; `keep` lets a client keep an earlier
    assignment to a clinician who has since been deactivated."""
    wanted = set(clinician_ids)
    if len(wanted) > limits.ID_LIST_MAX:
        raise InvalidInput.field("clinician_ids", "Too many clinicians.")
    found = list(
        User.objects.filter(
            Q(is_active=True) | Q(pk__in=set(keep)),
            practice=practice,
            kind=Kind.STAFF,
            pk__in=wanted,
            roles__role=Role.CLINICIAN,
        ).distinct()
    )
    if len(found) != len(wanted):
        raise InvalidInput.field("clinician_ids", "Choose active clinicians of this practice.")
    return found


@transaction.atomic
def create_client(
    *,
    actor: User,
    name: str,
    email: str,
    clinician_ids: Iterable[int] = (),
    portal_enabled: bool = False,
    password: str | None = None,
    invite: bool = True,
) -> Client:
    """A client record; with portal access, the client is invited by email to choose
    their password (the same answer whether or not the address has an account
    elsewhere: accounts/links.py). `invite=False`: the operator's tooling."""
    require_practice_admin(actor)
    refuse_password(password)
    practice = actor.practice
    user = new_account(
        practice=practice, kind=Kind.CLIENT, name=name, email=email, is_active=portal_enabled
    )
    clinicians = check_clinicians(practice, clinician_ids)
    save_new_user(user)
    client = Client.objects.create(user=user, practice=practice)
    client.clinicians.set(clinicians)
    audit.record(
        audit.Action.CLIENT_ADDED,
        actor=actor,
        object_type=audit.ObjectType.CLIENT,
        object_id=client.pk,
    )
    if invite and portal_enabled:
        send_link(user)
    return client


@transaction.atomic
def update_client(
    *,
    actor: User,
    client: Client,
    name: str | None = None,
    email: str | None = None,
    clinician_ids: Iterable[int] | None = None,
    portal_enabled: bool | None = None,
    password: str | None = None,
    messaging: str | None = None,
) -> Client:
    """Edit a client record. Switching portal access off ends the client's
    sessions and tokens at once."""
    require_practice_admin(actor)
    refuse_password(password)
    ratelimit.check_write(actor)
    user = client.user
    fields = change_account(user, name=name, email=email)
    if portal_enabled is not None and portal_enabled != user.is_active:
        user.is_active = portal_enabled
        fields.append("is_active")
    if fields:
        user.save(update_fields=fields)
    if messaging is not None and messaging != client.messaging:
        if messaging not in Messaging.values:
            raise InvalidInput.field("messaging", "Choose on, reply_only or off.")
        client.messaging = messaging
        Client.objects.filter(pk=client.pk).update(messaging=messaging)
        fields.append("messaging")
    before: list[User] = []
    after: list[User] = []
    if clinician_ids is not None:
        before = list(client.clinicians.all())
        after = check_clinicians(actor.practice, clinician_ids, keep=[c.pk for c in before])
        client.clinicians.set(after)
        # A clinician newly assigned sees the client's clinical threads, older
        # ones included; one unassigned stops seeing them now.
        staff_access_changed.send(
            sender=User, staff=list({c.pk: c for c in [*before, *after]}.values())
        )
    if portal_enabled is False:
        ApiToken.objects.filter(user=user).delete()
    audit.record_client_change(
        actor=actor,
        client_id=client.pk,
        fields=fields,
        clinicians_changed=clinician_ids is not None and set(before) != set(after),
    )
    # A new address waits for its owner; portal access turned on before the
    # client has a password sends their invitation.
    invited = "is_active" in fields and user.is_active and not user.has_usable_password()
    if user.is_active and (("pending_email" in fields and user.pending_email) or invited):
        send_link(user)
    return client
