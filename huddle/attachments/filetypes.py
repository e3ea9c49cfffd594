"""What a file is, judged from its content (never its name), and the allow-list;
file names made safe to show and to send back in `Content-Disposition`."""

from __future__ import annotations

import unicodedata

import filetype

from huddle.attachments.models import NAME_MAX
from huddle.core.errors import InvalidInput

# Detected MIME type -> what is stored and answered.
ALLOWED = {
    "application/pdf": "application/pdf",
    "image/png": "image/png",
    "image/jpeg": "image/jpeg",
    "image/gif": "image/gif",
    "image/webp": "image/webp",
    "image/heic": "image/heic",
    "image/heif": "image/heif",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    ),
    "application/msword": "application/msword",
    "application/vnd.ms-excel": "application/vnd.ms-excel",
}
TEXT = "text/plain"
# Images Pillow can make a preview of.
PREVIEWABLE = {"image/png", "image/jpeg", "image/gif", "image/webp"}

REFUSED = (
    "This kind of file cannot be attached. Attach a PDF, an image (PNG, JPEG, GIF, WebP,"
    " HEIC), a plain text file or a Word, Excel or PowerPoint document."
)


def _is_text(head: bytes) -> bool:
    """Plain text: UTF-8 (a character cut at the end of `head` is fine) without
    NUL or other control characters than tab, line breaks and form feed."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:
            return False
        text = head[: error.start].decode("utf-8")
    return not any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text)


def detect(head: bytes) -> str:
    """The allowed content type of a file starting with `head`, or InvalidInput
    (`attachment_type`)."""
    kind = filetype.guess(head)
    if kind is not None:
        allowed = ALLOWED.get(kind.mime)
        if allowed is None:
            raise _refused()
        return allowed
    if head and _is_text(head):
        return TEXT
    raise _refused()


class RefusedType(InvalidInput):
    code = "attachment_type"


def _refused() -> RefusedType:
    return RefusedType(REFUSED, fields={"file": REFUSED})


_BIDI = {
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
}


def clean_name(raw: str) -> str:
    """A display name: the last path part, without control, format (bidi) or
    reserved characters, at most NAME_MAX characters with its extension kept."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(
        c
        for c in name
        if c not in _BIDI
        and unicodedata.category(c) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
        and c not in '<>:"|?*'
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return "file"
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: NAME_MAX - len(ext) - 1] + "." + ext
        else:
            name = name[:NAME_MAX]
    return name
