"""Practice exports (F12): asking for one, and the worker's steps on it.

A Practice Admin asks with a reason; the worker claims it, writes the ZIP to
`RECORDS_EXPORT_DIR/export-<id>.zip.<attempt>.part`, renames it only once the whole file
is written and its SHA-256 taken, and only then marks it done. A worker that dies
mid-way leaves a claim that runs out; the next worker builds it again from the
start (at most MAX_ATTEMPTS times, then it is marked failed). A done export is
downloadable for EXPORT_DAYS, then its file is removed and it answers 404."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from huddle import audit
from huddle.accounts.access import require_practice_admin
from huddle.accounts.models import User
from huddle.core.errors import Conflict, NotFound
from huddle.records import notify
from huddle.records.archive import Stopped, write_archive
from huddle.records.models import ACTIVE, EXPORT_DAYS, ExportStatus, PracticeExport
from huddle.records.reasons import check_reason

logger = logging.getLogger("huddle.records")

CLAIM_SECONDS = 120
MAX_ATTEMPTS = 3


class ExportRunning(Conflict):
    """An export of the practice is already queued or running (409)."""

    code = "export_running"

    def __init__(self, running: PracticeExport) -> None:
        super().__init__(f"An export of the practice is already under way (export {running.pk}).")
        self.running = running


def request_export(*, user: User, reason: str | None) -> PracticeExport:
    require_practice_admin(user)
    text = check_reason(reason)
    try:
        with transaction.atomic():
            running = _active(user.practice_id).first()
            if running is not None:
                raise ExportRunning(running)
            export = PracticeExport.objects.create(
                practice_id=user.practice_id,
                requested_by=user,
                reason=text,
                status=ExportStatus.QUEUED,
                created_at=timezone.now(),
            )
            audit.record(
                audit.Action.EXPORT_REQUESTED,
                actor=user,
                object_type=audit.ObjectType.PRACTICE,
                object_id=user.practice_id,
                detail=f"export {export.pk}",
            )
            notify.tell_admins(
                user.practice_id,
                besides=user.pk,
                event="export_started",
                data={"id": str(export.pk), "by": {"id": str(user.pk), "name": user.name}},
                kind="export",
            )
    except IntegrityError:
        # Another request won the race between the check and the insert.
        running = _active(user.practice_id).first()
        if running is None:
            raise
        raise ExportRunning(running) from None
    return export


def _active(practice_id: int) -> QuerySet[PracticeExport]:
    return PracticeExport.objects.filter(practice_id=practice_id, status__in=ACTIVE)


def visible(user: User, now: datetime | None = None) -> QuerySet[PracticeExport]:
    """The practice's exports a Practice Admin may see: all but the expired."""
    require_practice_admin(user)
    now = now or timezone.now()
    return (
        PracticeExport.objects.filter(practice_id=user.practice_id)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
    )


def get_export(user: User, export_id: int) -> PracticeExport:
    export = visible(user).filter(pk=export_id).first()
    if export is None:
        raise NotFound
    return export


def path_of(export: PracticeExport) -> Path:
    return Path(settings.RECORDS_EXPORT_DIR) / export.file_name


@transaction.atomic
def open_download(*, user: User, export_id: int) -> Path:
    """The finished file of an unexpired export, and an audit row for its download."""
    export = get_export(user, export_id)
    path = path_of(export)
    if export.status != ExportStatus.DONE or not path.is_file():
        raise NotFound
    audit.record(
        audit.Action.EXPORT_DOWNLOADED,
        actor=user,
        object_type=audit.ObjectType.PRACTICE,
        object_id=user.practice_id,
        detail=f"export {export.pk}",
    )
    return path


# The worker's side.


def _claimable(now: datetime) -> QuerySet[PracticeExport]:
    return PracticeExport.objects.filter(status__in=ACTIVE).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def claim(now: datetime, claim_seconds: int = CLAIM_SECONDS) -> PracticeExport | None:
    """The oldest export waiting for a worker (or left by a dead one), now ours."""
    for pk in _claimable(now).order_by("created_at", "pk").values_list("pk", flat=True)[:5]:
        taken = (
            _claimable(now)
            .filter(pk=pk)
            .update(
                status=ExportStatus.RUNNING,
                claimed_until=now + timedelta(seconds=claim_seconds),
                attempts=F("attempts") + 1,
                progress=0.0,
            )
        )
        if taken:
            return PracticeExport.objects.get(pk=pk)
    return None


def _announce(export: PracticeExport) -> None:
    ids = [u.pk for u in notify.admins(export.practice_id)]
    notify.publish_to(
        ids,
        "export_progress",
        {"id": str(export.pk), "status": export.status, "progress": export.progress},
    )


def build(export: PracticeExport, claim_seconds: int = CLAIM_SECONDS) -> None:
    """Write the archive of a claimed export, then mark it done or failed."""
    target = path_of(export)
    # One part file per attempt: a worker whose claim ran out never writes over its successor.
    part = target.with_name(f"{target.name}.{export.attempts}.part")
    for earlier in range(1, export.attempts):  # left by workers that died
        _remove(target.with_name(f"{target.name}.{earlier}.part"))
    if export.attempts > MAX_ATTEMPTS:
        _fail(export, "TooManyAttempts", part)
        return

    def progress(share: float) -> bool:
        until = timezone.now() + timedelta(seconds=claim_seconds)
        held = PracticeExport.objects.filter(
            pk=export.pk, status=ExportStatus.RUNNING, attempts=export.attempts
        ).update(progress=share, claimed_until=until)
        export.progress = share
        _announce(export)
        return bool(held)

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        counts = write_archive(export, part, progress)
        size, digest = _digest(part)
        part.replace(target)
    except Stopped:
        logger.warning("export %s: taken over by another worker", export.pk)
        _remove(part)
        return
    except Exception as exc:
        logger.exception("export %s failed", export.pk)
        _fail(export, type(exc).__name__, part)
        return
    now = timezone.now()
    done = PracticeExport.objects.filter(
        pk=export.pk, status=ExportStatus.RUNNING, attempts=export.attempts
    ).update(
        status=ExportStatus.DONE,
        progress=1.0,
        counts=counts,
        size=size,
        sha256=digest,
        finished_at=now,
        expires_at=now + timedelta(days=EXPORT_DAYS),
        claimed_until=None,
    )
    if done:
        export.refresh_from_db()
        _announce(export)
        logger.info("export %s: done, %s bytes", export.pk, size)


def _digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def _remove(part: Path) -> None:
    with contextlib.suppress(OSError):  # nothing was written there
        part.unlink(missing_ok=True)


def _fail(export: PracticeExport, error: str, part: Path) -> None:
    _remove(part)
    PracticeExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.FAILED,
        error=error[:100],
        finished_at=timezone.now(),
        claimed_until=None,
    )
    export.refresh_from_db()
    _announce(export)


def expire(now: datetime | None = None) -> int:
    """Remove the files of exports older than EXPORT_DAYS; answer how many."""
    now = now or timezone.now()
    removed = 0
    old = PracticeExport.objects.filter(status=ExportStatus.DONE, expires_at__lte=now)
    for export in old.filter(size__isnull=False)[:100]:
        path_of(export).unlink(missing_ok=True)
        PracticeExport.objects.filter(pk=export.pk).update(size=None)
        removed += 1
    return removed
