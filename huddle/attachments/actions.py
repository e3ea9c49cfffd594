"""Every change to attachments goes through these functions (STYLE.md 1).

An upload's row is committed before its bytes are written (`stored` false),
then marked stored: a crash or a storage failure in between leaves an unsent
row that the cleanup removes with whatever bytes reached storage, and nothing a
message can reference (only stored uploads can be attached).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from huddle import audit
from huddle.accounts.models import User
from huddle.attachments import filetypes, store, thumbnails
from huddle.attachments.models import Attachment
from huddle.attachments.upload import StreamedFile
from huddle.core.errors import ActionError, Forbidden, InvalidInput
from huddle.core.switches import SECURE_MESSAGING_OFF

logger = logging.getLogger("huddle.attachments")

MAX_PER_MESSAGE = 10


class StorageUnavailable(ActionError):
    """The storage failed; nothing was kept (503)."""

    status = 503
    code = "storage_unavailable"


class ScannerUnavailable(StorageUnavailable):
    code = "scanner_unavailable"


SCANNER_FAILED = "The file could not be checked for viruses. Nothing was kept; try again."
STORAGE_FAILED = "The file could not be stored. Nothing was kept; try again in a moment."


def _scan(upload: StreamedFile) -> None:
    """The optional malware scan (ATTACHMENT_SCANNER): a callable that raises
    InvalidInput for a file it refuses."""
    if not settings.ATTACHMENT_SCANNER:
        return
    scanner = import_string(settings.ATTACHMENT_SCANNER)
    try:
        scanner(upload.temporary_file_path())
    except InvalidInput:
        raise
    except Exception as exc:
        logger.warning("attachment scanner failed (%s)", type(exc).__name__)
        raise ScannerUnavailable(SCANNER_FAILED) from None


def upload(*, uploader: User, file: StreamedFile) -> Attachment:
    """A file for the uploader's next message: checked, stored, not yet sent."""
    if not uploader.practice.secure_messaging_enabled:
        raise Forbidden(SECURE_MESSAGING_OFF)
    if file.size == 0:
        raise InvalidInput.field("file", "The file is empty.")
    content_type = filetypes.detect(file.head)
    name = filetypes.clean_name(file.name or "")
    _scan(file)
    key = store.new_key(uploader.practice_id)
    thumbnail_key = f"{key}.preview.jpg" if content_type in filetypes.PREVIEWABLE else ""
    with transaction.atomic():
        attachment = Attachment.objects.create(
            practice_id=uploader.practice_id,
            uploaded_by=uploader,
            key=key,
            thumbnail_key=thumbnail_key,
            name=name,
            size=file.size or 0,
            content_type=content_type,
            sha256=file.sha256,
            created_at=timezone.now(),
        )
        audit.record(
            audit.Action.ATTACHMENT_UPLOADED, actor=uploader, detail=f"attachment {attachment.pk}"
        )
    # The preview first: a local storage moves the temporary file into place.
    preview = thumbnails.make(file.temporary_file_path()) if thumbnail_key else None
    if preview is None:
        thumbnail_key = ""
    try:
        store.put(key, file)
        if preview is not None:
            store.put(thumbnail_key, preview)
    except store.StorageFailed:
        # The row stays unsent and unstored: the cleanup removes it and any bytes.
        raise StorageUnavailable(STORAGE_FAILED) from None
    Attachment.objects.filter(pk=attachment.pk).update(stored=True, thumbnail_key=thumbnail_key)
    attachment.stored = True
    attachment.thumbnail_key = thumbnail_key
    return attachment


def check_ids(ids: Sequence[int]) -> list[int]:
    """At most MAX_PER_MESSAGE distinct ids, in the order given."""
    unique = list(dict.fromkeys(ids))
    if len(unique) > MAX_PER_MESSAGE:
        raise InvalidInput.field(
            "attachment_ids", f"Attach at most {MAX_PER_MESSAGE} files to one message."
        )
    return unique


NOT_YOURS = "Attach files you uploaded that are not sent yet."


def attach(*, entry_id: int, uploader: User, ids: Sequence[int]) -> list[int]:
    """Attach the uploader's unsent files to their new message, inside its
    transaction: all of them or (InvalidInput, the send rolls back) none."""
    ids = check_ids(ids)
    if not ids:
        return []
    changed = Attachment.objects.filter(
        pk__in=ids,
        uploaded_by=uploader,
        practice_id=uploader.practice_id,
        entry__isnull=True,
        stored=True,
    ).update(entry_id=entry_id)
    if changed != len(ids):
        raise InvalidInput.field("attachment_ids", NOT_YOURS)
    return ids
