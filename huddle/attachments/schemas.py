from __future__ import annotations

from ninja import Schema

from huddle.attachments.models import Attachment
from huddle.core.apitypes import Id


class AttachmentOut(Schema):
    id: Id
    name: str
    size: int
    content_type: str


class UploadOut(AttachmentOut):
    sha256: str


def attachment_out(attachment: Attachment) -> AttachmentOut:
    return AttachmentOut.model_construct(
        id=attachment.pk,
        name=attachment.name,
        size=attachment.size,
        content_type=attachment.content_type,
    )
