"""Reads about attachments."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Sum

from huddle.attachments.models import Attachment


def storage_use(practice_id: int) -> tuple[int, int]:
    """The practice's stored files and their bytes (sent and not yet sent)."""
    totals = Attachment.objects.filter(practice_id=practice_id).aggregate(
        files=Count("pk"), bytes=Sum("size")
    )
    return int(totals["files"] or 0), int(totals["bytes"] or 0)


def of_entries(entry_ids: Iterable[int]) -> dict[int, list[Attachment]]:
    """Each message's attachments, in the order they were uploaded."""
    found: dict[int, list[Attachment]] = {}
    rows = Attachment.objects.filter(entry_id__in=list(entry_ids)).order_by("pk")
    for attachment in rows:
        assert attachment.entry_id is not None  # noqa: S101 (filtered on it)
        found.setdefault(attachment.entry_id, []).append(attachment)
    return found
