"""Issue 19, finding 5: under the ASGI server (`make run`), a body over the
limit is refused as it arrives, not read whole first; a body that never
arrives is refused after the read timeout instead of hanging."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from django.conf import settings

from huddle.asgi import application

CHUNK = 64 * 1024


class Sender:
    """A client sending `total` bytes in chunks (chunked: no Content-Length), or
    stalling after `stall_after` chunks."""

    def __init__(self, total: int, *, stall_after: int | None = None) -> None:
        self.left = total
        self.calls = 0
        self.stall_after = stall_after
        self.sent: list[dict[str, Any]] = []
        self.done = False

    async def receive(self) -> dict[str, Any]:
        if self.done:  # the body is all sent: the client waits for the answer
            await asyncio.Event().wait()
        self.calls += 1
        if self.stall_after is not None and self.calls > self.stall_after:
            await asyncio.Event().wait()  # never comes: the test's bound is the timeout
        size = min(CHUNK, self.left)
        self.left -= size
        self.done = self.left == 0
        return {"type": "http.request", "body": b"x" * size, "more_body": self.left > 0}

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        starts = [m for m in self.sent if m["type"] == "http.response.start"]
        assert len(starts) == 1, self.sent
        return int(starts[0]["status"])

    def body(self) -> Any:
        raw = b"".join(m.get("body", b"") for m in self.sent if m["type"] == "http.response.body")
        return json.loads(raw)


def scope(path: str, headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), *(headers or [])],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


def run(path: str, sender: Sender, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    asyncio.run(
        asyncio.wait_for(application(scope(path, headers), sender.receive, sender.send), 30)
    )


@pytest.mark.parametrize("path", ["/signin", "/api/v1/auth/token"])
def test_a_chunked_body_over_the_limit_is_refused_as_it_passes_the_limit(path: str) -> None:
    """Before: a chunked 100 MB POST /signin was read whole (171 MB on disk)."""
    sender = Sender(100 * 1024 * 1024)

    run(path, sender)

    assert sender.status == 413
    read = (sender.calls - 1) * CHUNK
    assert read <= settings.MAX_REQUEST_BYTES + CHUNK  # not a byte more than one chunk over
    if path.startswith("/api/"):
        assert sender.body()["error"]["code"] == "too_large"


def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    sender = Sender(10 * 1024 * 1024)
    length = str(10 * 1024 * 1024).encode()

    run("/api/v1/auth/token", sender, [(b"content-length", length)])

    assert sender.status == 413
    assert sender.calls == 0


def test_a_body_shorter_than_its_length_is_refused_after_the_read_timeout(
    settings: Any,
) -> None:
    """Before: a Content-Length larger than the body hung the request."""
    settings.REQUEST_READ_TIMEOUT_SECONDS = 0.3
    sender = Sender(1000 * 1024, stall_after=1)

    run("/api/v1/auth/token", sender, [(b"content-length", b"2000")])

    assert sender.status == 408
    assert sender.body()["error"]["code"] == "timeout"


def test_a_path_with_its_own_larger_limit_takes_more(settings: Any) -> None:
    settings.REQUEST_BYTES_BY_PATH_PREFIX = {"/api/v1/big": 2 * 1024 * 1024}
    small = Sender(1024 * 1024)
    run("/api/v1/auth/token", small)
    assert small.status == 413
    big = Sender(1024 * 1024)
    run("/api/v1/big", big)
    assert big.calls == 1024 * 1024 // CHUNK  # read whole: it is under that path's limit
