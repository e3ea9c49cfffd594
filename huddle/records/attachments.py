"""The hook between records and file attachments (F14, `huddle.attachments`).

Attachments are built in their own app at the same time as this one. While that
app is not installed, threads list no attachments and the archive holds none;
once it is, these two functions are the only places to connect it (read its
model through the app registry, so records never imports it):

- `for_entries(entry_ids)`: `{entry_id: [{"id", "name", "size", "content_type",
  "sha256"}]}` for the timeline of a thread export and the archive's thread files;
- `files(practice_id)`: `(attachment id, name, open the bytes)` for every attachment
  of the practice, written to `attachments/<id>/<name>` in the archive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from django.apps import apps

APP = "huddle.attachments"


def installed() -> bool:
    return apps.is_installed(APP)


def for_entries(entry_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    if not installed():
        return {}
    raise NotImplementedError("connect huddle.attachments here (docs/RECORDS.md)")


def files(practice_id: int) -> Iterator[tuple[int, str, Callable[[], IO[bytes]]]]:
    if not installed():
        return iter(())
    raise NotImplementedError("connect huddle.attachments here (docs/RECORDS.md)")
