"""POST /api/v1/attachments (a streamed upload) — API.md "Attachments". The
download, checked against the file's thread, is messaging's
(messaging/attachment_api.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from huddle.accounts.api import caller
from huddle.api import BrowserSessionAuth, TokenAuth
from huddle.attachments import actions
from huddle.attachments.schemas import UploadOut
from huddle.attachments.upload import StreamedFile, stream_uploads
from huddle.core.apitypes import Error
from huddle.core.errors import InvalidInput

router = Router(tags=["attachments"])


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
