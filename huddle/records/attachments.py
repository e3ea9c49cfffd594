"""The hook between records and file attachments (F14, `huddle.attachments`).

Records reads attachments through these three functions only:

- `for_entries(entry_ids)`: `{entry_id: [{"id", "name", "size", "content_type",
  "sha256"}]}` for the timeline of a thread export and the archive's thread files;
- `files(practice_id)`: `(attachment id, name, open the bytes)` for every sent
  attachment of the practice, written to `attachments/<id>/<name>` in the archive;
- `remove_after_commit(thread_ids)`: a purge's stored bytes, removed once the rows
  are gone for good.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import IO, Any

from django.db import transaction

from huddle.attachments import store
from huddle.attachments.models import Attachment

BATCH = 500


def for_entries(entry_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    rows = (
        Attachment.objects.filter(entry_id__in=list(entry_ids))
        .order_by("pk")
        .values("pk", "entry_id", "name", "size", "content_type", "sha256")
    )
    for row in rows:
        found.setdefault(row["entry_id"], []).append(
            {
                "id": row["pk"],
                "name": row["name"],
                "size": row["size"],
                "content_type": row["content_type"],
                "sha256": row["sha256"],
            }
        )
    return found


def _open(key: str) -> IO[bytes]:
    opened: IO[bytes] = store.storage().open(key, "rb")
    return opened


def files(practice_id: int) -> Iterator[tuple[int, str, Callable[[], IO[bytes]]]]:
    rows = (
        Attachment.objects.filter(practice_id=practice_id, entry__isnull=False)
        .order_by("pk")
        .values_list("pk", "name", "key")
    )
    for pk, name, key in rows.iterator(chunk_size=BATCH):
        yield pk, name, partial(_open, key)


def remove_after_commit(thread_ids: list[int]) -> None:
    """Call inside the purge's transaction, before its rows are deleted: the stored
    bytes of those threads' files go once the deletion has committed."""
    keys = [
        key
        for pair in Attachment.objects.filter(entry__thread_id__in=thread_ids).values_list(
            "key", "thumbnail_key"
        )
        for key in pair
        if key
    ]
    if not keys:
        return

    def remove() -> None:
        for key in keys:
            store.remove(key)

    transaction.on_commit(remove)
