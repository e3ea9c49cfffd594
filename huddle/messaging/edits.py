"""Editing or removing one's own message (F19).

Within `MESSAGE_EDIT_MINUTES` of sending, its author may change a message's text
or remove it. Every earlier text is kept as an `EntryVersion` (the practice's
record, its export and audit keep them all); the others see "edited" (and may
open the earlier versions) or "Message removed".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from huddle import audit
from huddle.accounts.models import User
from huddle.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from huddle.messaging import live, publishing, signals
from huddle.messaging.access import get_participation
from huddle.messaging.checks import check_body
from huddle.messaging.models import Entry, EntryKind, EntryVersion, Participant


class NotAuthor(Forbidden):
    code = "not_author"


class EditWindowClosed(Conflict):
    code = "edit_window_closed"


def edit_window() -> timedelta:
    return timedelta(minutes=settings.MESSAGE_EDIT_MINUTES)


def editable_until(entry: Entry) -> datetime:
    return entry.created_at + edit_window()


def can_change(entry: Entry, user: User, now: datetime | None = None) -> bool:
    """Whether `user` may still edit or remove `entry` (the pages' buttons)."""
    return (
        entry.kind == EntryKind.MESSAGE
        and entry.author_id == user.pk
        and entry.removed_at is None
        and (now or timezone.now()) <= editable_until(entry)
    )


def visible_message(user: User, entry_id: int) -> tuple[Entry, Participant]:
    """A message on a thread `user` may see now, or NotFound (another practice's,
    a thread they are not on, a header notice, an id that does not exist)."""
    entry = (
        Entry.objects.select_related("author")
        .filter(pk=entry_id, kind=EntryKind.MESSAGE, thread__practice_id=user.practice_id)
        .first()
    )
    if entry is None:
        raise NotFound
    participation = get_participation(user, entry.thread_id)
    entry.thread = participation.thread
    return entry, participation


def _changeable(user: User, entry_id: int, now: datetime) -> Entry:
    """The message, locked, when `user` may change it now; else the reason."""
    entry, _ = visible_message(user, entry_id)
    if entry.author_id != user.pk:
        raise NotAuthor("Only its author can change a message.")
    locked = Entry.objects.select_for_update().get(pk=entry.pk)
    locked.author = entry.author
    locked.thread = entry.thread
    if locked.removed_at is not None:
        raise Conflict("This message was removed.")
    if now > editable_until(locked):
        minutes = settings.MESSAGE_EDIT_MINUTES
        raise EditWindowClosed(
            f"A message can be changed for {minutes} minutes after it is sent; that time is over."
        )
    return locked


def _keep_version(entry: Entry, now: datetime) -> None:
    EntryVersion.objects.create(entry=entry, body=entry.body, replaced_at=now)


def edit_message(*, editor: User, entry_id: int, body: str) -> Entry:
    """Save Changes on one's own message: the new text, the old one kept."""
    body = check_body(body)
    with transaction.atomic():
        now = timezone.now()
        entry = _changeable(editor, entry_id, now)
        if body == entry.body:
            raise InvalidInput.field("body", "This is already the message's text.")
        _keep_version(entry, now)
        Entry.objects.filter(pk=entry.pk).update(body=body, edited_at=now)
        entry.body, entry.edited_at = body, now
        signals.message_changed.send(sender=Entry, entry=entry)
        audit.record_thread(audit.Action.MESSAGE_EDITED, actor=editor, thread_id=entry.thread_id)
        publishing.to_thread(entry.thread_id, live.message_edited(entry))
    return entry


def remove_message(*, remover: User, entry_id: int) -> Entry:
    """Remove one's own message: everyone sees "Message removed"; the record keeps
    its text. An urgent message then asks nobody to acknowledge it any more."""
    from huddle.messaging import urgent

    with transaction.atomic():
        now = timezone.now()
        entry = _changeable(remover, entry_id, now)
        _keep_version(entry, now)
        Entry.objects.filter(pk=entry.pk).update(body="", removed_at=now, escalation_due_at=None)
        entry.body, entry.removed_at = "", now
        signals.message_changed.send(sender=Entry, entry=entry)
        if entry.urgent:
            urgent.release_awaiting(entry)
        audit.record_thread(audit.Action.MESSAGE_REMOVED, actor=remover, thread_id=entry.thread_id)
        publishing.to_thread(entry.thread_id, live.message_edited(entry))
    return entry


def versions_of(user: User, entry_id: int) -> list[EntryVersion]:
    """The earlier texts of an edited message, oldest first, for the people on its
    thread. A removed message shows none: its texts stay in the record only."""
    entry, _ = visible_message(user, entry_id)
    if entry.removed_at is not None:
        return []
    return list(EntryVersion.objects.filter(entry_id=entry.pk).order_by("pk"))
