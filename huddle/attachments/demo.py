"""Files for the demo practice (`manage.py seed_demo`), uploaded through the
same action as any upload."""

from __future__ import annotations

import hashlib
import io
import tempfile

from PIL import Image, ImageDraw

from huddle.accounts.models import User
from huddle.attachments import actions
from huddle.attachments.upload import HEAD, StreamedFile

WORKSHEET = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def statement_image() -> bytes:
    image = Image.new("RGB", (900, 560), (250, 250, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 860, 120), fill=(29, 111, 106))
    for row in range(6):
        y = 170 + row * 56
        draw.rectangle((60, y, 840, y + 30), fill=(226, 232, 238))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def upload(uploader: User, name: str, content: bytes) -> int:
    """Upload `content` as `uploader`; the new attachment's id."""
    with tempfile.NamedTemporaryFile(prefix="huddle-demo-", suffix=".part") as temp:
        temp.write(content)
        temp.flush()
        temp.seek(0)
        file = StreamedFile(
            temp, name, len(content), hashlib.sha256(content).hexdigest(), content[:HEAD]
        )
        attachment = actions.upload(uploader=uploader, file=file)
        file.close()
    return attachment.pk
