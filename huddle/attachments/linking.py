"""What messaging calls when a message is sent with files: the one door from
messaging into this app. This app imports nothing of messaging and names its
models by string; messaging checks who may download a file
(`messaging.access.get_attachment`, messaging/attachment_api.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch

from huddle.accounts.models import User
from huddle.attachments import actions
from huddle.attachments.models import Attachment

# The attribute an entry's files are kept in: set by `attach`, or by a list's
# `Prefetch("attachments", to_attr=FILES)` (`loaded()`), and read by `of`.
FILES = "files"


def loaded() -> Prefetch[Any]:
    """For `prefetch_related`: every entry's files, in the order they were added."""
    return Prefetch("attachments", queryset=Attachment.objects.order_by("pk"), to_attr=FILES)


def attach(*, entry: Any, uploader: User, ids: Sequence[int]) -> None:
    """Inside the send's transaction: attach the uploader's unsent files to
    `entry` (all or, with InvalidInput, none) and keep them on it for its answer."""
    attached = actions.attach(entry_id=entry.pk, uploader=uploader, ids=ids)
    found = list(Attachment.objects.filter(pk__in=attached).order_by("pk")) if attached else []
    setattr(entry, FILES, found)


def of(entry: Any) -> list[Attachment]:
    """`entry`'s attachments when they were loaded with it (`loaded()`, or
    `attach`); otherwise none are shown and no statement is run."""
    return list(getattr(entry, FILES, ()))
