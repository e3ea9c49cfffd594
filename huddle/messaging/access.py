"""The one place that decides whether a person may see a thread."""

from __future__ import annotations

from huddle.accounts.models import User
from huddle.clients.models import Client
from huddle.core.errors import Forbidden, NotFound
from huddle.messaging.audiences import staff_audiences
from huddle.messaging.models import Participant, View

PRACTICE_MESSAGING_OFF = (
    "Practice Messaging is turned off for this practice. "
    "A Practice Admin can turn it on in Settings > Secure Messaging."
)
SECURE_MESSAGING_OFF = (
    "Secure Messaging is turned off for this practice. "
    "A Practice Admin can turn it on in Settings > Secure Messaging."
)
STAFF_ONLY = "Practice Messaging is for practice staff."


def require_view_enabled(user: User, view: str) -> None:
    """403 when the practice has switched this kind of messaging off."""
    practice = user.practice
    if not practice.secure_messaging_enabled:
        raise Forbidden(SECURE_MESSAGING_OFF)
    if view == View.PRACTICE:
        if not user.is_staff_member:
            raise NotFound
        if not practice.practice_messaging_enabled:
            raise Forbidden(PRACTICE_MESSAGING_OFF)


def get_participation(user: User, thread_id: int) -> Participant:
    """The caller's place on a thread, or NotFound when they may not see it:
    another practice's thread, a thread they are not on, or one they deleted."""
    rows = Participant.objects.select_related("thread").filter(
        user=user, thread_id=thread_id, deleted=False, thread__practice_id=user.practice_id
    )
    participation = rows.first()
    if participation is None:
        raise NotFound
    participation.user = user  # the caller, already loaded with their practice
    require_view_enabled(user, participation.view)
    return participation


def get_client_for_staff(staff: User, client_id: int) -> Client:
    """A client `staff` may write to, or NotFound (another practice's client, or
    one outside their care and roles)."""
    client = (
        Client.objects.select_related("user").filter(pk=client_id, practice_id=staff.practice_id)
    ).first()
    if client is None or not staff_audiences(staff, client):
        raise NotFound
    return client
