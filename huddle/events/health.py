"""`/healthz` of the events process (huddle/asgi_events.py): the web process's
checks (core.health) and, with Redis, this process's subscription to it."""

from __future__ import annotations

import asyncio
import contextlib
import json

from django.conf import settings

from huddle.core import health
from huddle.events.broker import HUB
from huddle.events.stream import Send

# A fresh process subscribes at its first health check or stream: wait this long.
SUBSCRIBE_SECONDS = 1.0


async def bus_ready() -> bool:
    """Whether events from other processes reach this one now."""
    HUB.start()
    if settings.REDIS_URL and not HUB.ready.is_set():
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(SUBSCRIBE_SECONDS):
                await HUB.ready.wait()
    return HUB.ready.is_set()


async def healthz(send: Send) -> None:
    ready = await bus_ready()
    status, body = await asyncio.to_thread(health.report, bus_ready=ready)
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})
