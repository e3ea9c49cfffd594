"""Request bodies counted as they arrive, in the ASGI entry (huddle/asgi.py):
a body over its limit is refused with 413 as soon as it passes the limit, or
before a byte is read when `Content-Length` says so; a body that stops
arriving (a `Content-Length` larger than what is sent, a slow sender) is
refused with 408 after `REQUEST_READ_TIMEOUT_SECONDS` without a byte. A method
name not in upper case answers 501 here too (Django would upper-case it).

Django's own check (core.middleware.BodySizeLimitMiddleware) sees only the
declared length, after the server has read the body; this one sees the bytes.
The limit is MAX_REQUEST_BYTES, or the largest of REQUEST_BYTES_BY_PATH_PREFIX
(`{"/api/v1/attachments": 26214400}`, for example) whose prefix the path has.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from django.conf import settings

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Any


def limit_for(path: str) -> int:
    limit = int(settings.MAX_REQUEST_BYTES)
    by_prefix: dict[str, int] = getattr(settings, "REQUEST_BYTES_BY_PATH_PREFIX", {}) or {}
    for prefix, bytes_allowed in by_prefix.items():
        if path.startswith(prefix):
            limit = max(limit, int(bytes_allowed))
    return limit


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else -1
    return None


async def _answer(send: Any, scope: Scope, status: int, code: str, message: str) -> None:
    if scope["path"].startswith("/api/"):
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        kind = b"application/json"
    else:
        body = f"<!doctype html><title>{status}</title><p>{message}</p>".encode()
        kind = b"text/html; charset=utf-8"
    headers = [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"x-content-type-options", b"nosniff"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def too_large_message(limit: int) -> str:
    return f"The request is larger than the limit of {limit // 1024} KiB."


def limit_bodies(app: ASGIApp) -> ASGIApp:
    """Wrap an ASGI app so request bodies are counted and timed as they arrive."""

    async def guarded(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        method = str(scope.get("method", ""))
        if method != method.upper():
            # Django upper-cases it; methods are case-sensitive (RFC 9110):
            # the same 501 as core.middleware.UpperCaseMethodMiddleware's.
            message = "Methods are upper case, such as GET or POST."
            await _answer(send, scope, 501, "not_implemented", message)
            return
        limit = limit_for(scope["path"])
        declared = _declared_length(scope)
        if declared == -1:
            await _answer(send, scope, 400, "invalid", "The Content-Length header is not a number.")
            return
        if declared is not None and declared > limit:
            await _answer(send, scope, 413, "too_large", too_large_message(limit))
            return
        timeout = float(settings.REQUEST_READ_TIMEOUT_SECONDS)
        state = {"received": 0, "done": False, "answered": False}

        async def refuse(status: int, code: str, message: str) -> Message:
            state["answered"] = True
            await _answer(send, scope, status, code, message)
            return {"type": "http.disconnect"}

        async def counted_receive() -> Message:
            if state["answered"]:
                return {"type": "http.disconnect"}
            if state["done"]:
                # The body is in; this is Django listening for a disconnect.
                message: Message = await receive()
                return message
            try:
                message = await asyncio.wait_for(receive(), timeout=timeout)
            except TimeoutError:
                return await refuse(408, "timeout", "The request body did not arrive in time.")
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > limit:
                    return await refuse(413, "too_large", too_large_message(limit))
                if not message.get("more_body", False):
                    state["done"] = True
            return message

        async def guarded_send(message: Message) -> None:
            if not state["answered"]:
                await send(message)

        await app(scope, counted_receive, guarded_send)

    return guarded
