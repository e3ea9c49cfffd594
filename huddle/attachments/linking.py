"""What messaging calls when a message is sent with files: the one door from
messaging into this app. This app imports nothing of messaging and names its
models by string; messaging checks who may download a file
(`messaging.access.get_attachment`, messaging/attachment_api.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huddle.accounts.models import User
from huddle.attachments import actions
from huddle.attachments.models import Attachment

CACHE = "attachments"  # the reverse accessor's prefetch name, Entry.attachments


def attach(*, entry: Any, uploader: User, ids: Sequence[int]) -> None:
    """Inside the send's transaction: attach the uploader's unsent files to
    `entry` (all or, with InvalidInput, none) and keep them on it for its answer."""
    attached = actions.attach(entry_id=entry.pk, uploader=uploader, ids=ids)
    found = list(Attachment.objects.filter(pk__in=attached).order_by("pk")) if attached else []
    entry._prefetched_objects_cache = {CACHE: found}


def of(entry: Any) -> list[Attachment]:
    """`entry`'s attachments when they were loaded with it (a prefetch, or
    `attach`); otherwise none are shown and no statement is run."""
    cache = getattr(entry, "_prefetched_objects_cache", None) or {}
    return list(cache.get(CACHE, ()))
