"""The worker's step that removes uploads never sent (STYLE.md 14).

`remove_unsent(now)` removes one batch of attachments uploaded more than
UNSENT_HOURS ago and still on no message — their bytes, their preview and their
row — and answers how many it removed (0: nothing to do). The notification
worker (`manage.py run_worker`) calls `remove_unsent_if_due()` between its
batches; tests call `remove_unsent` directly. A file on a message is never
removed here: a user's delete of a thread only hides it for them.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.utils import timezone

from huddle.attachments import store
from huddle.attachments.models import Attachment

logger = logging.getLogger("huddle.attachments")

UNSENT_HOURS = 24
BATCH = 100
EVERY_SECONDS = 600.0

_last_run = [float("-inf")]


def remove_unsent(now: datetime | None = None, limit: int = BATCH) -> int:
    now = now or timezone.now()
    cutoff = now - timedelta(hours=UNSENT_HOURS)
    found = list(
        Attachment.objects.filter(entry__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", "key", "thumbnail_key")[:limit]
    )
    removed = 0
    for pk, key, thumbnail_key in found:
        # The row first, and only while still unsent: a send in the meantime keeps
        # it and its bytes. Bytes whose removal fails stay unreachable (no row).
        if Attachment.objects.filter(pk=pk, entry__isnull=True).delete()[0]:
            store.remove(key)
            store.remove(thumbnail_key)
            removed += 1
    if removed:
        logger.info("attachments: removed %s unsent uploads", removed)
    return removed


def remove_unsent_if_due(clock: float | None = None) -> int:
    """`remove_unsent` at most every EVERY_SECONDS in this process."""
    clock = time.monotonic() if clock is None else clock
    if clock - _last_run[0] < EVERY_SECONDS:
        return 0
    _last_run[0] = clock
    return remove_unsent()
