"""The one place that decides whether a person may open an attachment: the
access of its thread, asked anew on every download (a clinician unassigned from
a client loses the client's files at once), or, before it is sent, only its
uploader. Anything else is NotFound (404), never a hint that it exists."""

from __future__ import annotations

from huddle.accounts.models import User
from huddle.attachments.models import Attachment
from huddle.core.errors import NotFound
from huddle.messaging.access import get_participation


def get_attachment(user: User, attachment_id: int) -> tuple[Attachment, int | None]:
    """The attachment and its thread's id (None before it is sent), or NotFound."""
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
