"""Writing a practice's whole messaging record to one ZIP, streamed: entries and
audit rows are read in batches and written as they come, so the worker's memory
stays flat however large the practice (docs/RECORDS.md has the layout).

Every file's SHA-256 is taken while it is written and listed in `manifest.json`,
written last, with the counts."""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.utils import timezone

from huddle.accounts.models import User
from huddle.audit.models import AuditEvent
from huddle.messaging.models import Entry, EntryKind, Participant, Thread
from huddle.records import attachments
from huddle.records.documents import (
    ENTRY_FIELDS,
    entry_item,
    notice_item,
    participant_item,
    thread_head,
    when,
)
from huddle.records.emergency import Notice
from huddle.records.models import EmergencyAccess, PracticeExport

THREADS_PER_BATCH = 200
ROWS_PER_READ = 2000
FORMAT = 1

# Called after each batch of threads with the share done; False stops the export.
Progress = Callable[[float], bool]


class Stopped(Exception):
    """Another worker took the export over (this one's claim ran out)."""


class _Hashed:
    """A file being written into the ZIP, with its SHA-256 taken on the way."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.hash = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.hash.update(data)
        self.stream.write(data)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class _Writer:
    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.files: dict[str, str] = {}

    @contextmanager
    def open(self, path: str) -> Iterator[_Hashed]:
        info = zipfile.ZipInfo(path, date_time=timezone.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.zf.open(info, "w", force_zip64=True) as stream:
            hashed = _Hashed(stream)
            yield hashed
        self.files[path] = hashed.hash.hexdigest()


def _grants(practice_id: int) -> dict[int, list[tuple[datetime, datetime, Notice]]]:
    by_client: dict[int, list[tuple[datetime, datetime, Notice]]] = defaultdict(list)
    grants = EmergencyAccess.objects.filter(practice_id=practice_id).select_related("user")
    for g in grants.order_by("created_at", "pk"):
        notice = Notice(g.user_id, g.user.name, g.reason, g.created_at)
        by_client[g.client_id].append((g.created_at, g.expires_at, notice))
    return by_client


def _thread_notices(
    thread: Thread, grants: dict[int, list[tuple[datetime, datetime, Notice]]]
) -> list[dict[str, Any]]:
    if thread.client_id is None:
        return []
    return [
        notice_item(Notice(n.by_id, n.by_name, n.reason, max(start, thread.created_at)))
        for start, end, n in grants.get(thread.client_id, [])
        if end > thread.created_at
    ]


def write_archive(export: PracticeExport, target: Path, progress: Progress) -> dict[str, int]:
    """Write the archive of `export`'s practice to `target`; answer the counts."""
    practice_id = export.practice_id
    counts = {"threads": 0, "messages": 0, "header_changes": 0, "attachments": 0, "audit_rows": 0}
    people = User.objects.filter(practice_id=practice_id).values_list("pk", "name", "kind")
    names: dict[int, str] = {}
    kinds: dict[int, str] = {}
    for pk, name, kind in people.iterator(chunk_size=ROWS_PER_READ):
        names[pk] = name
        kinds[pk] = kind
    grants = _grants(practice_id)
    threads = Thread.objects.filter(practice_id=practice_id)
    total = threads.count()
    with zipfile.ZipFile(target, "w", allowZip64=True) as zf:
        writer = _Writer(zf)
        last = 0
        while True:
            batch = list(threads.filter(pk__gt=last).order_by("pk")[:THREADS_PER_BATCH])
            if not batch:
                break
            last = batch[-1].pk
            _write_threads(writer, batch, names, kinds, grants, counts)
            if not progress(min(0.99, counts["threads"] / max(total, 1))):
                raise Stopped
        _write_attachments(writer, practice_id)
        _write_audit(writer, practice_id, counts)
        manifest = {
            "format": FORMAT,
            "practice_id": practice_id,
            "export": {
                "id": export.pk,
                "reason": export.reason,
                "requested_by": {
                    "id": export.requested_by_id,
                    "name": names.get(export.requested_by_id, ""),
                },
                "created_at": when(export.created_at),
            },
            "generated_at": when(timezone.now()),
            "counts": counts,
            "files": writer.files,
        }
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return counts


def _write_threads(
    writer: _Writer,
    batch: list[Thread],
    names: dict[int, str],
    kinds: dict[int, str],
    grants: dict[int, list[tuple[datetime, datetime, Notice]]],
    counts: dict[str, int],
) -> None:
    ids = [t.pk for t in batch]
    people: dict[int, list[Participant]] = defaultdict(list)
    for p in Participant.objects.filter(thread_id__in=ids).order_by("thread_id", "user_id"):
        people[p.thread_id].append(p)
    entries = (
        Entry.objects.filter(thread_id__in=ids)
        .order_by("thread_id", "pk")
        .only(*ENTRY_FIELDS, "created_at")
        .iterator(chunk_size=ROWS_PER_READ)
    )
    pending = next(entries, None)
    for thread in batch:
        with writer.open(f"threads/{thread.pk}.json") as out:
            head = {
                "thread": thread_head(thread, names),
                "participants": [participant_item(p, names, kinds) for p in people[thread.pk]],
            }
            out.write(_dumps(head)[:-1] + b',"timeline":[')
            first = True
            while pending is not None and pending.thread_id == thread.pk:
                chunk: list[Entry] = []
                while (
                    pending is not None
                    and pending.thread_id == thread.pk
                    and len(chunk) < ROWS_PER_READ
                ):
                    chunk.append(pending)
                    pending = next(entries, None)
                files = attachments.for_entries(e.pk for e in chunk)
                for entry in chunk:
                    out.write((b"" if first else b",") + _dumps(entry_item(entry, names, files)))
                    first = False
                    if entry.kind == EntryKind.HEADER_CHANGED:
                        counts["header_changes"] += 1
                    else:
                        counts["messages"] += 1
                        counts["attachments"] += len(files.get(entry.pk, []))
            out.write(b'],"emergency_access":' + _dumps(_thread_notices(thread, grants)) + b"}")
        counts["threads"] += 1


def _write_attachments(writer: _Writer, practice_id: int) -> None:
    for attachment_id, name, opener in attachments.files(practice_id):
        path = f"attachments/{attachment_id}/{name}"
        with writer.open(path) as out, opener() as source:
            while block := source.read(1 << 20):
                out.write(block)


AUDIT_FIELDS = ("id", "actor_id", "action", "object_type", "object_id", "detail", "at", "ip")


def _write_audit(writer: _Writer, practice_id: int, counts: dict[str, int]) -> None:
    rows = (
        AuditEvent.objects.filter(practice_id=practice_id)
        .order_by("pk")
        .values_list(*AUDIT_FIELDS)
        .iterator(chunk_size=ROWS_PER_READ)
    )
    with writer.open("audit.jsonl") as out:
        for row in rows:
            item = dict(zip(AUDIT_FIELDS, row, strict=True))
            item["at"] = when(item["at"])
            out.write(_dumps(item) + b"\n")
            counts["audit_rows"] += 1
