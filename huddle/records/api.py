"""The records API (API.md, "Records"): thread export, practice exports, retention,
legal holds and emergency access. Endpoints parse, call actions and answer."""

from __future__ import annotations

from typing import Any, Literal

from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Router, Status

from huddle.accounts.api import caller
from huddle.core.apitypes import Error, parse_path_id
from huddle.core.errors import NotFound
from huddle.records import emergency, exports, retention
from huddle.records.schemas import (
    EmergencyOut,
    ExportConflict,
    ExportList,
    ExportOut,
    HoldIn,
    HoldList,
    HoldOut,
    ReasonIn,
    RetentionIn,
    RetentionOut,
    emergency_out,
    export_out,
    hold_out,
    retention_out,
)
from huddle.records.thread_export import export_thread

router = Router(tags=["records"])

READ: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error}


def _id(value: str) -> int:
    pk = parse_path_id(value)
    if pk is None:
        raise NotFound
    return pk


def attachment_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/threads/{thread_id}/export",
    response={200: None, **READ},
    openapi_extra={
        "responses": {
            200: {
                "description": "The thread as a PDF or JSON file",
                "content": {"application/pdf": {}, "application/json": {}},
            }
        }
    },
)
def thread_export(
    request: HttpRequest, thread_id: str, format: Literal["pdf", "json"] = "pdf"
) -> HttpResponse:
    """One thread as a PDF for the client's chart, or JSON; for those who may see it."""
    file = export_thread(user=caller(request), thread_id=_id(thread_id), format=format)
    return attachment_response(file.content, file.content_type, file.filename)


@router.post("/exports", response={202: ExportOut, 409: ExportConflict, **READ})
def start_export(request: HttpRequest, payload: ReasonIn) -> Status[Any]:
    """The whole practice's messaging record, built in the background."""
    try:
        export = exports.request_export(user=caller(request), reason=payload.reason)
    except exports.ExportRunning as running:
        body = {"code": running.code, "message": running.message}
        return Status(409, {"error": body, "export": export_out(running.running)})
    return Status(202, export_out(export))


@router.get("/exports", response={200: ExportList, **READ})
def list_exports(request: HttpRequest) -> ExportList:
    return ExportList(items=[export_out(e) for e in exports.visible(caller(request))[:50]])


@router.get("/exports/{export_id}", response={200: ExportOut, **READ})
def get_export(request: HttpRequest, export_id: str) -> ExportOut:
    return export_out(exports.get_export(caller(request), _id(export_id)))


@router.get(
    "/exports/{export_id}/download",
    response={200: None, **READ},
    openapi_extra={
        "responses": {200: {"description": "The ZIP", "content": {"application/zip": {}}}}
    },
)
def download_export(request: HttpRequest, export_id: str) -> FileResponse:
    path = exports.open_download(user=caller(request), export_id=_id(export_id))
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type="application/zip"
    )


@router.get("/practice/retention", response={200: RetentionOut, **READ})
def get_retention(request: HttpRequest) -> RetentionOut:
    user = caller(request)
    return retention_out(retention.settings_of(user.practice_id))


@router.patch("/practice/retention", response={200: RetentionOut, **READ})
def patch_retention(request: HttpRequest, payload: RetentionIn) -> RetentionOut:
    value = retention.update_retention(
        user=caller(request),
        retention_years=payload.retention_years,
        purge_after_retention=payload.purge_after_retention,
    )
    return retention_out(value)


@router.get("/legal-holds", response={200: HoldList, **READ})
def list_holds(request: HttpRequest) -> HoldList:
    return HoldList(items=[hold_out(h) for h in retention.holds(caller(request))[:200]])


@router.post("/legal-holds", response={201: HoldOut, **READ})
def place_hold(request: HttpRequest, payload: HoldIn) -> Status[HoldOut]:
    hold = retention.place_hold(
        user=caller(request),
        scope=payload.scope,
        reason=payload.reason,
        client_id=payload.client_id,
        thread_id=payload.thread_id,
    )
    return Status(201, hold_out(hold))


@router.delete("/legal-holds/{hold_id}", response={204: None, **READ})
def release_hold(request: HttpRequest, hold_id: str) -> Status[None]:
    retention.release_hold(user=caller(request), hold_id=_id(hold_id))
    return Status(204, None)


@router.post("/clients/{client_id}/emergency-access", response={201: EmergencyOut, **READ})
def open_emergency(request: HttpRequest, client_id: str, payload: ReasonIn) -> Status[EmergencyOut]:
    grant = emergency.open_emergency_access(
        user=caller(request), client_id=_id(client_id), reason=payload.reason
    )
    return Status(201, emergency_out(grant))
