"""Files for the attachment tests, made in memory, and uploading through the API."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from huddle.administration.actions import update_messaging_settings
from tests.conftest import Api, World

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
TEXT = "Session notes are not here; this is a plain text file.\nZweite Zeile: ü\n".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100


def png(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def upload(api: Api, content: bytes, name: str = "superbill.pdf") -> Any:
    """POST /attachments as `api`'s user (multipart, field `file`)."""
    return api.http.post(
        "/api/v1/attachments",
        {"file": SimpleUploadedFile(name, content)},
        headers=api.headers,
    )


def uploaded(api: Api, content: bytes = PDF, name: str = "superbill.pdf") -> str:
    response = upload(api, content, name)
    assert response.status_code == 201, response.content
    attachment_id: str = response.json()["id"]
    return attachment_id


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def outsiders_on(world: World) -> None:
    """The other practice with messaging on: its people are refused for who they are."""
    update_messaging_settings(
        actor=world.outsider_admin, secure_messaging_enabled=True, practice_messaging_enabled=True
    )
