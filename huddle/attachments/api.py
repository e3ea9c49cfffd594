"""POST /api/v1/attachments (a streamed upload) — API.md "Attachments". The
download, checked against the file's thread, is messaging's
(messaging/attachment_api.py).

The upload's authentication is set where the router is mounted (the project's api.py,
`UploadTokenAuth`, `UploadSessionAuth`): the API's own, with the streaming
handler installed before it reads the body."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from huddle.accounts.api import caller
from huddle.attachments import actions
from huddle.attachments.schemas import UploadOut
from huddle.attachments.upload import StreamedFile, stream_uploads
from huddle.core.apitypes import Error
from huddle.core.errors import InvalidInput

router = Router(tags=["attachments"])


@router.post(
    "/attachments",
    url_name="attachment_upload",
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
