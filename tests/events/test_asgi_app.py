"""The stream's ASGI app driven directly: a client that leaves is forgotten at once."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections

from huddle.accounts.actions import issue_token
from huddle.events.broker import HUB
from huddle.events.stream import events
from tests.conftest import World
from tests.events.servers import run_async

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_client_that_leaves_is_forgotten_at_once(
    world: World,
) -> None:
    raw, _ = issue_token(user=world.biller)

    async def run() -> tuple[list[Mapping[str, Any]], int, int]:
        leave = asyncio.Event()
        sent: list[Mapping[str, Any]] = []
        started = asyncio.Event()

        async def receive() -> Mapping[str, Any]:
            await leave.wait()
            return {"type": "http.disconnect"}

        async def send(message: Mapping[str, Any]) -> None:
            sent.append(message)
            if message.get("body", b"").startswith(b"retry"):
                started.set()

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/api/v1/events",
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {raw}".encode())],
        }
        task = asyncio.get_running_loop().create_task(events(scope, receive, send))
        async with asyncio.timeout(10):
            await started.wait()
        open_count = HUB.count()
        leave.set()
        async with asyncio.timeout(10):
            await task
        # The thread that ran the brief database calls lets go of its connection.
        await sync_to_async(connections.close_all)()
        return sent, open_count, HUB.count()

    sent, while_open, after = run_async(run())
    assert sent[0]["status"] == 200
    assert (while_open, after) == (1, 0)
    assert sent[-1] == {"type": "http.response.body", "body": b"", "more_body": False}
