"""The one place that decides whether a person may see a thread, and so a file
on it (`get_attachment`)."""

from __future__ import annotations

from collections.abc import Callable

from huddle.accounts.models import User
from huddle.attachments.models import Attachment
from huddle.clients.models import Client
from huddle.core import sql
from huddle.core.errors import Forbidden, NotFound
from huddle.core.switches import PRACTICE_MESSAGING_OFF, SECURE_MESSAGING_OFF
from huddle.messaging.audiences import staff_audiences
from huddle.messaging.models import Participant, Thread, View
from huddle.messaging.rules import VISIBLE_TO
from huddle.practices.models import Practice

STAFF_ONLY = "Practice Messaging is for practice staff."


def enabled_views(practice: Practice) -> list[str]:
    """The views whose events a practice's people get: none while Secure Messaging
    is off, only client threads while Practice Messaging is off (F1)."""
    return views_enabled(practice.secure_messaging_enabled, practice.practice_messaging_enabled)


def views_enabled(secure_messaging: bool, practice_messaging: bool) -> list[str]:
    if not secure_messaging:
        return []
    if not practice_messaging:
        return [View.CLIENTS]
    return [View.PRACTICE, View.CLIENTS]


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


def visible_views(user: User) -> list[str]:
    """The views of the threads `user` may see now: `enabled_views`, and never the
    practice view for a client."""
    views = enabled_views(user.practice)
    return views if user.is_staff_member else [v for v in views if v != View.PRACTICE]


# Every request about one thread asks this: plain SQL (core.sql).
# Column names come from the model; every value is a parameter.
_PARTICIPATION = (
    f"SELECT {sql.columns(Participant, 'p')}, {sql.columns(Thread, 't')}"  # noqa: S608
    " FROM messaging_participant p JOIN messaging_thread t ON t.id = p.thread_id"
    f" WHERE {VISIBLE_TO} AND p.thread_id = %s"
)
_PARTICIPANT_FIELDS = len(Participant._meta.concrete_fields)


# The only other ways onto a thread, registered by the apps that own them (records:
# emergency access, in its AppConfig.ready). Each answers the thread of the caller's
# practice that it opens to them now, or None; asked only when they are not on it.
GRANTS: list[Callable[[User, int], Thread | None]] = []


def _granted(user: User, thread_id: int) -> Participant:
    """A place on a thread one is not on, for as long as a grant lasts: not stored,
    nothing unread, in no folder."""
    for grant in GRANTS:
        thread = grant(user, thread_id)
        if thread is not None:
            participation = Participant(
                thread=thread, user=user, view=thread.view, activity_at=thread.last_message_at
            )
            require_view_enabled(user, participation.view)
            return participation
    raise NotFound


def get_participation(user: User, thread_id: int) -> Participant:
    """The caller's place on a thread, or NotFound when they may not see it:
    another practice's thread, a thread they are not on, or one they deleted
    (unless a grant opens it to them now: `GRANTS`)."""
    row = sql.fetch_one(_PARTICIPATION, (user.pk, user.practice_id, thread_id))
    if row is None:
        return _granted(user, thread_id)
    participation = sql.model_from_row(Participant, row[:_PARTICIPANT_FIELDS])
    participation.thread = sql.model_from_row(Thread, row[_PARTICIPANT_FIELDS:])
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


def get_attachment(user: User, attachment_id: int) -> tuple[Attachment, int | None]:
    """The attachment and its thread's id (None before it is sent), or NotFound.
    The access of its thread, asked anew on every download (a clinician
    unassigned from a client loses the client's files at once), or, before it is
    sent, only its uploader. Anything else is NotFound (404), never a hint that
    it exists."""
    found = (
        Attachment.objects.filter(pk=attachment_id, practice_id=user.practice_id, stored=True)
        .select_related("entry")
        .only(
            "key",
            "thumbnail_key",
            "name",
            "size",
            "content_type",
            "uploaded_by_id",
            "entry__thread_id",
        )
        .first()
    )
    if found is None:
        raise NotFound
    if found.entry is None:
        if found.uploaded_by_id != user.pk:
            raise NotFound
        return found, None
    get_participation(user, found.entry.thread_id)  # NotFound for anyone not on it now
    return found, found.entry.thread_id
