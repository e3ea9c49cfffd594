"""GET /api/v1/attachments/{id} (a streamed, checked, audited download) and its
preview — API.md "Attachments". Here, not in attachments, because who may have
a file is who may see its thread now (`access.get_attachment`); the streaming
is attachments' (`attachments.serving`)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Router

from huddle import audit
from huddle.accounts.api import caller
from huddle.accounts.models import User
from huddle.attachments import serving
from huddle.attachments.models import Attachment
from huddle.core.apitypes import Error, parse_path_id
from huddle.core.errors import NotFound
from huddle.messaging.access import get_attachment

router = Router(tags=["attachments"])


def _open(user: User, attachment_id: str) -> tuple[Attachment, int | None]:
    pk = parse_path_id(attachment_id)
    if pk is None:
        raise NotFound
    return get_attachment(user, pk)


def _record(user: User, attachment: Attachment, thread_id: int | None, what: str) -> None:
    detail = f"{what} of attachment {attachment.pk}"
    if thread_id is None:
        audit.record(audit.Action.ATTACHMENT_DOWNLOADED, actor=user, detail=detail)
    else:
        audit.record_thread(
            audit.Action.ATTACHMENT_DOWNLOADED, actor=user, thread_id=thread_id, detail=detail
        )


DOWNLOAD_ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 503: Error}
# The 200 of a download or preview: the stored bytes, of the file's own type.
FILE_ANSWER: dict[str, Any] = {
    "responses": {
        200: {
            "description": "The file's bytes, streamed",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


# The operation ids are the ones these had in attachments/api.py: clients
# generated from the OpenAPI document keep their names.
@router.get(
    "/attachments/{attachment_id}",
    response=DOWNLOAD_ERRORS,
    url_name="attachment_download",
    operation_id="huddle_attachments_api_download",
    openapi_extra=FILE_ANSWER,
)
def download(request: HttpRequest, attachment_id: str) -> FileResponse:
    """The file's bytes, streamed, for people who may see its thread now (or its
    uploader before it is sent); every download is an audit row."""
    user = caller(request)
    attachment, thread_id = _open(user, attachment_id)
    response = serving.stream(attachment.key, attachment.content_type, attachment.size)
    response["Content-Disposition"] = serving.content_disposition(attachment.name)
    _record(user, attachment, thread_id, "download")
    return response


@router.get(
    "/attachments/{attachment_id}/preview",
    response=DOWNLOAD_ERRORS,
    url_name="attachment_preview",
    operation_id="huddle_attachments_api_preview",
    openapi_extra=FILE_ANSWER,
)
def preview(request: HttpRequest, attachment_id: str) -> FileResponse:
    """A small JPEG preview of an image, made on the server; 404 for other files."""
    user = caller(request)
    attachment, _ = _open(user, attachment_id)
    if not attachment.thumbnail_key:
        raise NotFound
    response = serving.stream(attachment.thumbnail_key, "image/jpeg", None)
    response["Content-Disposition"] = "inline"
    return response
