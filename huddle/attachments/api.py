"""POST /api/v1/attachments (a streamed upload) and GET /api/v1/attachments/{id}
(a streamed, checked, audited download) — API.md "Attachments"."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.http import FileResponse, HttpRequest
from ninja import Router, Status

from huddle import audit
from huddle.accounts.api import caller
from huddle.accounts.models import User
from huddle.api import BrowserSessionAuth, TokenAuth
from huddle.attachments import actions, store
from huddle.attachments.access import get_attachment
from huddle.attachments.models import Attachment
from huddle.attachments.schemas import UploadOut
from huddle.attachments.upload import StreamedFile, stream_uploads
from huddle.core.apitypes import Error, parse_path_id
from huddle.core.errors import InvalidInput, NotFound

router = Router(tags=["attachments"])

# Downloads answer with their own policy: nothing in a file may run or load.
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
BLOCK = 256 * 1024


class UploadTokenAuth(TokenAuth):
    def __call__(self, request: HttpRequest) -> Any:
        stream_uploads(request)
        return super().__call__(request)


class UploadSessionAuth(BrowserSessionAuth):
    """The session's CSRF check reads the form: the streaming handler comes first."""

    def __call__(self, request: HttpRequest) -> Any:
        stream_uploads(request)
        return super().__call__(request)


@router.post(
    "/attachments",
    url_name="attachment_upload",
    auth=[UploadTokenAuth(), UploadSessionAuth()],
    response={201: UploadOut, 400: Error, 401: Error, 403: Error, 413: Error, 503: Error},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            },
        }
    },
)
def upload(request: HttpRequest) -> Status[UploadOut]:
    """Upload one file (field `file`) for a message not yet sent."""
    user = caller(request)
    stream_uploads(request)
    file = request.FILES.get("file")
    if not isinstance(file, StreamedFile):
        raise InvalidInput.field("file", "Choose a file to attach.")
    try:
        attachment = actions.upload(uploader=user, file=file)
    finally:
        file.close()
    return Status(
        201,
        UploadOut(
            id=attachment.pk,
            name=attachment.name,
            size=attachment.size,
            content_type=attachment.content_type,
            sha256=attachment.sha256,
        ),
    )


def content_disposition(name: str) -> str:
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


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


def _stream(key: str, content_type: str, size: int | None) -> FileResponse:
    try:
        handle = store.storage().open(key, "rb")
    except Exception:
        raise actions.StorageUnavailable(actions.STORAGE_FAILED) from None
    response = FileResponse(handle, content_type=content_type)
    response.block_size = BLOCK
    if size is not None:
        response["Content-Length"] = str(size)
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


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


@router.get(
    "/attachments/{attachment_id}",
    response=DOWNLOAD_ERRORS,
    url_name="attachment_download",
    openapi_extra=FILE_ANSWER,
)
def download(request: HttpRequest, attachment_id: str) -> FileResponse:
    """The file's bytes, streamed, for people who may see its thread now (or its
    uploader before it is sent); every download is an audit row."""
    user = caller(request)
    attachment, thread_id = _open(user, attachment_id)
    response = _stream(attachment.key, attachment.content_type, attachment.size)
    response["Content-Disposition"] = content_disposition(attachment.name)
    _record(user, attachment, thread_id, "download")
    return response


@router.get(
    "/attachments/{attachment_id}/preview",
    response=DOWNLOAD_ERRORS,
    url_name="attachment_preview",
    openapi_extra=FILE_ANSWER,
)
def preview(request: HttpRequest, attachment_id: str) -> FileResponse:
    """A small JPEG preview of an image, made on the server; 404 for other files."""
    user = caller(request)
    attachment, _ = _open(user, attachment_id)
    if not attachment.thumbnail_key:
        raise NotFound
    response = _stream(attachment.thumbnail_key, "image/jpeg", None)
    response["Content-Disposition"] = "inline"
    return response
