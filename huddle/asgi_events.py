"""An ASGI entry point serving only the live event stream, `/api/v1/events`.

Production (docs/PERFORMANCE.md): Django runs under a WSGI server
(`huddle.wsgi`), where its sync views cost a ninth of what they cost under ASGI,
and one granian ASGI process runs this app for the streams; the reverse proxy
sends `/api/v1/events` here and everything else to the WSGI server, and Redis
(REDIS_URL) carries events from the WSGI workers to the streams. Anything but
the stream answers 404 here, but `/healthz`: 200 while the database answers
and the Redis subscription is up, 503 otherwise (core.health).

In production it refuses to start without REDIS_URL: its streams would hear
nothing from the WSGI workers, and every live event would be lost silently.
"""

from __future__ import annotations

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huddle.settings")
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

if settings.PRODUCTION and not settings.REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set in production: the events process hears of changes"
        " made by the other server processes only through Redis (docs/EVENTS.md)"
    )

# Imported once the apps are loaded.
from huddle.events.health import healthz  # noqa: E402
from huddle.events.stream import PATH, Receive, Scope, Send, events  # noqa: E402

NOT_FOUND = json.dumps({"error": {"code": "not_found", "message": "Not found."}}).encode()


async def application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    if scope["path"] == PATH:
        await events(scope, receive, send)
        return
    if scope["path"] == "/healthz":
        await healthz(send)
        return
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(NOT_FOUND))]
    await send({"type": "http.response.start", "status": 404, "headers": headers})
    await send({"type": "http.response.body", "body": NOT_FOUND})
