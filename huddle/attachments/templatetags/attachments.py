"""`{% file_picker %}` for composers and reply boxes, `{% attachment_list %}` for a
message's files, `{% storage_use %}` for Settings."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from huddle.attachments import linking, queries
from huddle.attachments.actions import MAX_PER_MESSAGE
from huddle.attachments.filetypes import ALLOWED, TEXT
from huddle.attachments.models import Attachment
from huddle.attachments.pages import FIELD

register = template.Library()

KINDS = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/webp": "WebP image",
    "image/heic": "HEIC image",
    "image/heif": "HEIF image",
    "text/plain": "Text",
    "application/msword": "Word document",
    "application/vnd.ms-excel": "Excel sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "PowerPoint slides"
    ),
}
ACCEPT = ",".join(
    [*ALLOWED, TEXT, ".pdf,.png,.jpg,.jpeg,.gif,.webp,.heic,.txt,.doc,.docx,.xls,.xlsx,.pptx"]
)


@register.filter
def file_kind(content_type: str) -> str:
    return KINDS.get(content_type, "File")


@register.inclusion_tag("attachments/_picker.html", takes_context=True)
def file_picker(context: template.Context, field_id: str = "files") -> dict[str, Any]:
    """The picker; after a refused send it shows the files already uploaded for it."""
    request = context["request"]
    picked: list[Attachment] = []
    raw = [v for v in request.POST.getlist(FIELD) if v.isdigit() and len(v) < 19]
    if raw and isinstance(request.user.pk, int):
        picked = list(
            Attachment.objects.filter(
                pk__in=raw[:MAX_PER_MESSAGE], uploaded_by_id=request.user.pk, entry__isnull=True
            )
        )
    mib = settings.ATTACHMENT_MAX_BYTES / (1024 * 1024)
    return {
        "picked": picked,
        "field": FIELD,
        "field_id": field_id,
        "max_bytes": settings.ATTACHMENT_MAX_BYTES,
        "max_mib": f"{mib:g}",
        "max_files": MAX_PER_MESSAGE,
        "accept": ACCEPT,
    }


@register.inclusion_tag("attachments/_list.html")
def attachment_list(entry: Any) -> dict[str, Any]:
    """A message's files (loaded with the timeline, `linking.loaded()`: no
    statement here)."""
    return {"files": linking.of(entry)}


@register.inclusion_tag("attachments/_storage_use.html")
def storage_use(practice_id: int) -> dict[str, Any]:
    files, size = queries.storage_use(practice_id)
    return {"files": files, "size": size}
