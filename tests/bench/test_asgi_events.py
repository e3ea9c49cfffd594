"""The stream-only ASGI entry point of the recommended deployment answers 404 to
everything but /api/v1/events (which tests/bench/test_bench_workloads.py streams)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from huddle.asgi_events import application


def test_anything_but_the_stream_is_not_found_there() -> None:
    sent: list[Mapping[str, Any]] = []

    async def receive() -> Mapping[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Mapping[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/api/v1/threads", "headers": []}
    asyncio.run(application(scope, receive, send))
    assert sent[0]["status"] == 404
    assert json.loads(sent[1]["body"])["error"]["code"] == "not_found"
