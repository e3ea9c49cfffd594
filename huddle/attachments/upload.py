"""Streaming uploads: Django's multipart parser hands each chunk to
`StreamingUploadHandler`, which hashes it, counts it against the limit and
writes it to a temporary file on disk; no request holds a file in memory.

The handler is installed before anything reads the request body (api.py's
authentication, which checks CSRF and so parses the form).
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest

from huddle.core.errors import ActionError

CHUNK = 256 * 1024
HEAD = 8192  # what the type detection reads (filetype reads 8 KiB)


class TooLarge(ActionError):
    """A file over ATTACHMENT_MAX_BYTES (413), found while reading it."""

    status = 413
    code = "too_large"


def too_large_message() -> str:
    mib = settings.ATTACHMENT_MAX_BYTES / (1024 * 1024)
    return f"A file may be at most {mib:g} MiB."


class StreamedFile(UploadedFile):
    """An upload on disk, with its SHA-256 and its first bytes."""

    def __init__(self, file: Any, name: str, size: int, sha256: str, head: bytes) -> None:
        super().__init__(file, name=name, content_type=None, size=size)
        self.sha256 = sha256
        self.head = head

    def temporary_file_path(self) -> str:
        return str(getattr(self.file, "name", ""))

    def close(self) -> None:
        # A local storage may have moved the temporary file into place already.
        with contextlib.suppress(FileNotFoundError):
            super().close()


class StreamingUploadHandler(FileUploadHandler):
    chunk_size = CHUNK

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.limit: int = settings.ATTACHMENT_MAX_BYTES
        self.hash = hashlib.sha256()
        self.size = 0
        self.total = 0  # over every file of the request: the limit is for the body
        self.head = b""
        self.temp: Any = None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.hash = hashlib.sha256()
        self.size = 0
        self.head = b""
        self.temp = tempfile.NamedTemporaryFile(prefix="huddle-upload-", suffix=".part")  # noqa: SIM115

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        self.total += len(raw_data)
        if self.total > self.limit:
            self.temp.close()
            raise TooLarge(too_large_message(), fields={"file": too_large_message()})
        if len(self.head) < HEAD:
            self.head += raw_data[: HEAD - len(self.head)]
        self.hash.update(raw_data)
        self.temp.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> StreamedFile:
        self.temp.flush()
        self.temp.seek(0)
        return StreamedFile(
            self.temp, self.file_name or "", self.size, self.hash.hexdigest(), self.head
        )

    def upload_interrupted(self) -> None:
        if self.temp is not None:
            self.temp.close()


def stream_uploads(request: HttpRequest) -> None:
    """Make this request's multipart body go through `StreamingUploadHandler`."""
    if not hasattr(request, "_files"):
        request.upload_handlers = [StreamingUploadHandler(request)]
