"""Export one thread (F12): for the people who may see it now, as PDF or JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import transaction

from huddle import audit
from huddle.accounts.models import User
from huddle.core.errors import InvalidInput
from huddle.messaging.access import get_participation
from huddle.records import emergency
from huddle.records.documents import thread_document

FORMATS = ("pdf", "json")


@dataclass(frozen=True)
class ThreadFile:
    content: bytes
    content_type: str
    filename: str


def export_thread(*, user: User, thread_id: int, format: str | None) -> ThreadFile:
    """The thread as a file; NotFound for a thread the caller may not see."""
    participation = get_participation(user, thread_id)
    kind = format or "pdf"
    if kind not in FORMATS:
        raise InvalidInput.field("format", "Choose pdf or json.")
    thread = participation.thread
    notices = emergency.notices(thread) if user.is_staff_member else []
    document = thread_document(thread, with_notices=notices)
    with transaction.atomic():
        audit.record(
            audit.Action.THREAD_EXPORTED,
            actor=user,
            object_type=audit.ObjectType.THREAD,
            object_id=thread.pk,
            detail=kind,
        )
    filename = f"thread-{thread.pk}.{kind}"
    if kind == "json":
        content = json.dumps(document, ensure_ascii=False, indent=2).encode()
        return ThreadFile(content, "application/json", filename)
    # fpdf2 and fontTools are about 40 MiB: imported on the first PDF, not in every
    # server worker at start (docs/PERFORMANCE.md, "Memory").
    from huddle.records import pdf

    return ThreadFile(pdf.thread_pdf(user.practice.name, document), "application/pdf", filename)
