"""GET /api/v1/events as a small raw ASGI app, routed before Django.

Why not a Django async view: Django runs the sync middleware of each request
in a thread of its own, kept (with its database connection) until the response
ends, so every idle stream would hold a thread; and an async view costs ~9x a
sync one (MEASURED-FLOORS.md). Here an idle stream is one coroutine waiting on
an asyncio.Event: no thread, no database connection. The database is touched
only through `sync_to_async` for the brief calls: sign-in and replay at the
start, and the periodic credential check (broker.Hub), for all streams at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable, Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http.request import split_domain_port, validate_host

from huddle.events import auth
from huddle.events.broker import HUB, Subscription
from huddle.events.opening import opening, parse_last_event_id
from huddle.events.sse import KEEPALIVE, RETRY, frame

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[Mapping[str, Any]]]
Send = Callable[[Mapping[str, Any]], Awaitable[None]]

PATH = "/api/v1/events"
STREAM_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache, no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: do not buffer this response
    (b"x-content-type-options", b"nosniff"),
]


def _headers(scope: Scope) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        key = name.decode("latin-1").lower()
        text = value.decode("latin-1")
        found[key] = f"{found[key]}; {text}" if key == "cookie" and key in found else text
    return found


def _session_key(cookie_header: str) -> str | None:
    try:
        cookies = SimpleCookie(cookie_header)
    except CookieError:
        return None
    morsel = cookies.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel is not None else None


def _query_param(scope: Scope, name: str) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get(name)
    return values[0] if values else None


async def _error(send: Send, status: int, code: str, message: str, **extra: str) -> None:
    payload = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(payload))]
    headers += [(k.encode(), v.encode()) for k, v in extra.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def _host_allowed(headers: dict[str, str]) -> bool:
    domain, _ = split_domain_port(headers.get("host", ""))
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return bool(domain) and validate_host(domain, allowed)


async def events(scope: Scope, receive: Receive, send: Send) -> None:
    headers = _headers(scope)
    if not _host_allowed(headers):
        await _error(send, 400, "bad_host", "This host is not served here.")
        return
    if scope["method"] != "GET":
        await _error(send, 405, "method_not_allowed", "Use GET.", allow="GET")
        return
    found = await sync_to_async(auth.authenticate)(
        headers.get("authorization"), _session_key(headers.get("cookie", ""))
    )
    if found is None:
        await _error(send, 401, "not_authenticated", "Sign in to use this.")
        return
    user, credential = found
    sub = Subscription(user.pk, credential)
    if not await HUB.attach(sub):
        await _error(send, 503, "unavailable", "Live events are unavailable.", retry_after="5")
        return
    watcher = asyncio.get_running_loop().create_task(_watch_disconnect(receive, sub))
    try:
        # Subscribed first, then read: whatever commits in between comes live
        # and is dropped below if the replay already had it.
        last_event_id = parse_last_event_id(
            headers.get("last-event-id") or _query_param(scope, "last_event_id")
        )
        start = await sync_to_async(opening)(user, last_event_id, HUB.late_ids(last_event_id))
        sub.had(start.replayed)
        sub.start_id = start.last_id if last_event_id is None else last_event_id
        await send({"type": "http.response.start", "status": 200, "headers": STREAM_HEADERS})
        await _write(send, RETRY + b"".join(start.frames))
        if not start.complete:
            return
        await _pump(send, sub, start.last_id, start.replayed)
    except OSError:
        pass  # the client went away mid-write
    except Exception:
        if not sub.ended:
            raise
        # A write to a connection the client already closed.
    finally:
        HUB.detach(sub)
        watcher.cancel()
        # The client may be gone already; servers then refuse the last write.
        with contextlib.suppress(Exception):
            await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _write(send: Send, data: bytes) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": True})


async def _watch_disconnect(receive: Receive, sub: Subscription) -> None:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            sub.end("disconnected")
            return


async def _pump(send: Send, sub: Subscription, last_id: int, replayed: set[int]) -> None:
    """Write events as they come, a keep-alive comment when quiet, until the
    client leaves or its session or token ends."""
    keepalive = settings.EVENTS_KEEPALIVE_SECONDS
    stale_after = 3 * settings.EVENTS_AUTH_CHECK_SECONDS
    while not sub.ended:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(keepalive):
                await sub.wake.wait()
        sub.wake.clear()
        if sub.ended:
            return
        if not sub.pending:
            await _write(send, KEEPALIVE)
            continue
        if time.monotonic() - sub.checked_at > stale_after:
            # The shared check is behind (a slow database): check this one now.
            [ok] = await sync_to_async(auth.still_valid)([sub.credential])
            if not ok:
                return
            sub.checked_at = time.monotonic()
        chunks = []
        while sub.pending:
            event_id, event_body = sub.pending.popleft()
            if event_id is None:
                chunks.append(frame(last_id, event_body))
            elif event_id in replayed:
                continue  # already sent by the replay
            elif event_id > last_id:
                last_id = event_id
                chunks.append(frame(event_id, event_body))
            else:
                # Committed out of id order (concurrent writers): send it, but
                # never move the client's Last-Event-ID backwards.
                chunks.append(event_body)
        if chunks:
            await _write(send, b"".join(chunks))


ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def with_events(app: ASGIApp) -> ASGIApp:
    """Wrap the Django ASGI app: /api/v1/events here, everything else to Django."""

    async def router(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH:
            await events(scope, receive, send)
        else:
            await app(scope, receive, send)

    return router
