"""Emergency access ("break the glass", F16): a reason opens all of one client's
threads to a clinician, supervisor, clinical admin or Practice Admin for
EMERGENCY_ACCESS_MINUTES, then they are closed to them again on their own.

`emergency_thread` is registered in messaging.access.GRANTS, the one place that
decides who reaches a thread, so the thread page, the reply, the API and the
export honour it alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from huddle import audit
from huddle.accounts.models import Role, User
from huddle.clients.models import Client
from huddle.core.errors import Forbidden, NotFound
from huddle.messaging.models import Thread
from huddle.records import notify
from huddle.records.models import EmergencyAccess
from huddle.records.reasons import check_reason

ROLES = frozenset({Role.CLINICIAN, Role.SUPERVISOR, Role.CLINICAL_ADMIN, Role.PRACTICE_ADMIN})
NOT_ALLOWED = (
    "Emergency access is for clinicians, supervisors, clinical admins and Practice Admins."
)


def may_break_glass(user: User) -> bool:
    return user.is_staff_member and user.is_active and bool(user.role_set() & set(ROLES))


def emergency_thread(user: User, thread_id: int) -> Thread | None:
    """The thread, when an unexpired emergency access of `user` covers its client."""
    if not may_break_glass(user):
        return None
    live = EmergencyAccess.objects.filter(
        user_id=user.pk, client_id=OuterRef("client_id"), expires_at__gt=timezone.now()
    )
    return (
        Thread.objects.filter(pk=thread_id, practice_id=user.practice_id, client__isnull=False)
        .filter(Exists(live))
        .first()
    )


@transaction.atomic
def open_emergency_access(*, user: User, client_id: int, reason: str | None) -> EmergencyAccess:
    if not may_break_glass(user):
        raise Forbidden(NOT_ALLOWED)
    client = Client.objects.filter(pk=client_id, practice_id=user.practice_id).first()
    if client is None:
        raise NotFound
    text = check_reason(reason)
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        practice_id=user.practice_id,
        user=user,
        client=client,
        reason=text,
        created_at=now,
        expires_at=now + timedelta(minutes=settings.EMERGENCY_ACCESS_MINUTES),
    )
    audit.record(
        audit.Action.EMERGENCY_ACCESS,
        actor=user,
        object_type=audit.ObjectType.CLIENT,
        object_id=client.pk,
    )
    notify.tell_admins(
        user.practice_id,
        besides=user.pk,
        event="emergency_access",
        data={
            "client_id": str(client.pk),
            "by": {"id": str(user.pk), "name": user.name},
            "expires_at": grant.expires_at.isoformat(),
        },
        kind="emergency",
    )
    return grant


def active_access(
    user: User, client_id: int, now: datetime | None = None
) -> EmergencyAccess | None:
    return (
        EmergencyAccess.objects.filter(
            user_id=user.pk, client_id=client_id, expires_at__gt=now or timezone.now()
        )
        .order_by("-expires_at")
        .first()
    )


@dataclass(frozen=True)
class Notice:
    """ "X opened this thread (emergency access): reason", in a thread's timeline."""

    by_id: int
    by_name: str
    reason: str
    at: datetime


def notices(thread: Thread) -> list[Notice]:
    """The emergency accesses that covered `thread` while it existed, oldest first
    (1 statement); shown to staff only, never to the client."""
    if thread.client_id is None:
        return []
    grants = (
        EmergencyAccess.objects.filter(client_id=thread.client_id)
        .filter(Q(expires_at__gt=thread.created_at))
        .select_related("user")
        .order_by("created_at", "pk")
    )
    return [
        Notice(g.user_id, g.user.name, g.reason, max(g.created_at, thread.created_at))
        for g in grants
    ]


def client_threads(user: User, client_id: int) -> list[Thread]:
    """The threads an active emergency access opens, newest activity first."""
    return list(
        Thread.objects.filter(practice_id=user.practice_id, client_id=client_id).order_by(
            "-last_message_at", "-pk"
        )[:200]
    )
