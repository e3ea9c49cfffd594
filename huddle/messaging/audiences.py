"""Who on staff a client thread is for, following the practice's records (F10).

Clinical: the client's assigned clinicians, the colleagues covering for one of
them while they are away (availability, F23), and every clinical admin and
supervisor. Billing: the billers. Administrative: the schedulers and practice
admins. Staff rows on client threads (`Participant`) are kept in step with
these rules by `sync_staff_access`, in the same transaction as any change of
roles, assignments or activity, so access follows the records at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from huddle.accounts.models import Kind, Role, User
from huddle.availability.queries import covered_by, covering_for_client
from huddle.clients.models import Client
from huddle.messaging.models import Audience, Participant, Thread, View

WIDE_ROLES: dict[str, tuple[Role, ...]] = {
    Audience.CLINICAL: (Role.CLINICAL_ADMIN, Role.SUPERVISOR),
    Audience.BILLING: (Role.BILLER,),
    Audience.ADMINISTRATIVE: (Role.SCHEDULER, Role.PRACTICE_ADMIN),
}


def audience_staff(client: Client, audience: str) -> QuerySet[User]:
    """Active staff a thread of `client` to `audience` is for, as of now."""
    rule = Q(roles__role__in=[r.value for r in WIDE_ROLES[audience]])
    if audience == Audience.CLINICAL:
        rule |= Q(roles__role=Role.CLINICIAN, assigned_clients=client)
        rule |= Q(pk__in=covering_for_client(client.pk))
    return (
        User.objects.filter(practice_id=client.practice_id, kind=Kind.STAFF, is_active=True)
        .filter(rule)
        .distinct()
    )


def staff_audiences(staff: User, client: Client) -> list[str]:
    """The audiences through which `staff` may see and write to `client`."""
    if not staff.is_active or not staff.is_staff_member:
        return []
    if staff.practice_id != client.practice_id:
        return []
    roles = staff.role_set()
    found: list[str] = []
    for audience, wide in WIDE_ROLES.items():
        if roles & {r.value for r in wide} or (
            audience == Audience.CLINICAL
            and (
                (Role.CLINICIAN.value in roles and client.clinicians.filter(pk=staff.pk).exists())
                or client.clinicians.filter(pk__in=covered_by(staff)).exists()
            )
        ):
            found.append(audience)
    return found


def visible_clients(staff: User) -> QuerySet[Client]:
    """The clients `staff` may start a thread with (through any audience)."""
    roles = staff.role_set()
    everyone = Client.objects.filter(practice_id=staff.practice_id)
    if not staff.is_active or not staff.is_staff_member:
        return everyone.none()
    wide = {r.value for rs in WIDE_ROLES.values() for r in rs}
    if roles & wide:
        return everyone
    covering = Q(clinicians__in=covered_by(staff))
    if Role.CLINICIAN.value in roles:
        return everyone.filter(Q(clinicians=staff) | covering).distinct()
    return everyone.filter(covering).distinct()


def eligible_client_threads(staff: User) -> QuerySet[Thread]:
    """Every client thread of the practice that `staff` may see, as of now."""
    threads = Thread.objects.filter(practice_id=staff.practice_id, view=View.CLIENTS)
    if not staff.is_active or not staff.is_staff_member:
        return threads.none()
    roles = staff.role_set()
    rule = Q(pk__in=[])
    for audience, wide in WIDE_ROLES.items():
        if roles & {r.value for r in wide}:
            rule |= Q(audience=audience)
    if not roles & {r.value for r in WIDE_ROLES[Audience.CLINICAL]}:
        if Role.CLINICIAN.value in roles:
            rule |= Q(audience=Audience.CLINICAL, client__clinicians=staff)
        # Covering an absent colleague: their clients' clinical threads, for the absence.
        rule |= Q(audience=Audience.CLINICAL, client__clinicians__in=covered_by(staff))
    return threads.filter(rule).distinct()


def sync_staff_access(staff: User) -> None:
    """Give `staff` a place on every client thread they may now see, and take it
    from every one they may no longer see. A new place starts read."""
    staff.refresh_from_db(fields=["is_active"])
    staff.forget_roles()
    eligible = dict(eligible_client_threads(staff).values_list("pk", "last_message_at"))
    current = set(
        Participant.objects.filter(user=staff, view=View.CLIENTS).values_list(
            "thread_id", flat=True
        )
    )
    gone = current - eligible.keys()
    if gone:
        Participant.objects.filter(user=staff, thread_id__in=gone).delete()
    Participant.objects.bulk_create(
        [
            Participant(thread_id=pk, user=staff, view=View.CLIENTS, unread_count=0, activity_at=at)
            for pk, at in eligible.items()
            if pk not in current
        ]
    )


def sync_many(staff: Iterable[User]) -> None:
    for person in staff:
        sync_staff_access(person)


def on_staff_access_changed(sender: object, *, staff: Iterable[User], **kwargs: object) -> None:
    """`accounts.signals.staff_access_changed`: their places follow at once."""
    sync_many(staff)
