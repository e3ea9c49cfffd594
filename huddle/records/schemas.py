"""The API's records shapes (API.md, "Records")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool

from huddle.core.apitypes import WHOLE_NUMBER, Id, Input
from huddle.messaging.schemas import Person
from huddle.records.models import EmergencyAccess, LegalHold, PracticeExport, RetentionSettings


class ReasonIn(Input):
    reason: str | None = None


class Counts(Schema):
    threads: int = 0
    messages: int = 0
    header_changes: int = 0
    attachments: int = 0
    audit_rows: int = 0


class ExportOut(Schema):
    id: Id
    status: Literal["queued", "running", "done", "failed"]
    progress: float
    reason: str
    requested_by: Person
    counts: Counts
    size: int | None
    sha256: str | None
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime | None


class ExportList(Schema):
    items: list[ExportOut]


class ExportRunningBody(Schema):
    code: str
    message: str


class ExportConflict(Schema):
    error: ExportRunningBody
    export: ExportOut


def export_out(export: PracticeExport) -> ExportOut:
    return ExportOut(
        id=export.pk,
        status=export.status,  # type: ignore[arg-type]
        progress=round(export.progress, 4),
        reason=export.reason,
        requested_by=Person(id=export.requested_by.pk, name=export.requested_by.name),
        counts=Counts(**export.counts),
        size=export.size,
        sha256=export.sha256 or None,
        created_at=export.created_at,
        finished_at=export.finished_at,
        expires_at=export.expires_at,
    )


class RetentionOut(Schema):
    retention_years: int
    purge_after_retention: bool


class RetentionIn(Input):
    retention_years: Annotated[int, Field(ge=6, le=30), WHOLE_NUMBER] | None = None
    purge_after_retention: StrictBool | None = None


def retention_out(value: RetentionSettings) -> RetentionOut:
    return RetentionOut(
        retention_years=value.retention_years,
        purge_after_retention=value.purge_after_retention,
    )


class HoldIn(Input):
    scope: str | None = None
    client_id: Id | None = None
    thread_id: Id | None = None
    reason: str | None = None


class HoldOut(Schema):
    id: Id
    scope: Literal["practice", "client", "thread"]
    client_id: Id | None
    thread_id: Id | None
    reason: str
    created_by: Person
    created_at: datetime


class HoldList(Schema):
    items: list[HoldOut]


def hold_out(hold: LegalHold) -> HoldOut:
    return HoldOut(
        id=hold.pk,
        scope=hold.scope,  # type: ignore[arg-type]
        client_id=hold.client_id,
        thread_id=hold.thread_id,
        reason=hold.reason,
        created_by=Person(id=hold.created_by.pk, name=hold.created_by.name),
        created_at=hold.created_at,
    )


class EmergencyOut(Schema):
    client_id: Id
    expires_at: datetime


def emergency_out(grant: EmergencyAccess) -> EmergencyOut:
    return EmergencyOut(client_id=grant.client_id, expires_at=grant.expires_at)
