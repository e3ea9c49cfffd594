"""Uploads are streamed: a 20 MiB file goes through the request in chunks, to
storage, without the request holding it in memory; downloads are streamed too."""

from __future__ import annotations

import hashlib
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.test import Client as HttpClient

from huddle.accounts.actions import issue_token
from huddle.attachments.models import Attachment
from tests.attachments.helpers import PDF, uploaded
from tests.conftest import Api, World

MIB = 1024 * 1024
SIZE = 20 * MIB
BOUNDARY = "huddle-test-boundary"


def _file_chunks() -> Iterator[bytes]:
    """A 20 MiB PDF-looking file, made 64 KiB at a time."""
    yield PDF
    left = SIZE - len(PDF)
    block = b"0123456789abcdef" * 4096
    while left > 0:
        piece = block[: min(left, len(block))]
        left -= len(piece)
        yield piece


class StreamedBody:
    """A request body read from a generator, as a server hands it to Django: the
    test never holds the whole body either."""

    def __init__(self) -> None:
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"'
            "\r\nContent-Type: application/pdf\r\n\r\n"
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.length = len(head) + SIZE + len(tail)
        self.parts = iter([head, *_file_chunks(), tail])
        self.buffer = b""

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.buffer) < size:
            part = next(self.parts, None)
            if part is None:
                break
            self.buffer += part
        if size < 0:
            size = len(self.buffer)
        out, self.buffer = self.buffer[:size], self.buffer[size:]
        return out

    def readline(self, size: int = -1) -> bytes:  # Django's LimitedStream may ask
        return self.read(size)


def test_a_20_mib_upload_raises_peak_memory_by_a_few_mib_at_most(
    world: World, settings: object, attachment_dir: Path
) -> None:
    raw, _ = issue_token(user=world.clinician)
    http = HttpClient()
    body = StreamedBody()
    expected = hashlib.sha256(b"".join(_file_chunks())).hexdigest()
    uploaded(Api(world.clinician))  # the code of a first upload is loaded before measuring

    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        environ: dict[str, Any] = {
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(body.length),
            "wsgi.input": body,  # read as a server hands the body over, in pieces
        }
        response = http.generic(
            "POST",
            "/api/v1/attachments",
            b"",
            headers={"Authorization": f"Bearer {raw}"},
            **environ,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert response.status_code == 201, response.content
    assert response.json()["size"] == SIZE
    assert response.json()["sha256"] == expected
    stored = Attachment.objects.get(pk=response.json()["id"])
    assert (attachment_dir / stored.key).stat().st_size == SIZE
    print(f"20 MiB upload: peak Python memory rose by {(peak - before) / MIB:.2f} MiB")
    assert peak - before < 4 * MIB, f"peak rose by {(peak - before) / MIB:.1f} MiB"


def test_a_download_is_streamed_in_blocks(world: World) -> None:
    api = Api(world.clinician)
    attachment_id = uploaded(api, PDF + b"x" * (3 * MIB))

    response = api.get(f"/attachments/{attachment_id}")

    assert response.streaming
    blocks = list(response.streaming_content)
    assert len(blocks) > 1
    assert max(len(b) for b in blocks) <= 256 * 1024
    assert sum(len(b) for b in blocks) == len(PDF) + 3 * MIB
