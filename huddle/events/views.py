"""GET /api/v1/events when Django itself answers it (a WSGI server, the test
client): the same opening as the stream — the entries missed since
Last-Event-ID and the unread counts — then the response ends and the browser's
EventSource reconnects after `retry`, so it degrades to polling instead of
holding a worker thread. The ASGI app (`huddle.events.stream`) serves the real
stream before a request ever reaches Django."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from huddle.events import auth
from huddle.events.opening import opening, parse_last_event_id
from huddle.events.sse import RETRY


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def events_once(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        refused = _error(405, "method_not_allowed", "Use GET.")
        refused["Allow"] = "GET"
        return refused
    found = auth.authenticate(
        request.headers.get("Authorization"), request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    )
    if found is None:
        return _error(401, "not_authenticated", "Sign in to use this.")
    user, _ = found
    last_event_id = parse_last_event_id(
        request.headers.get("Last-Event-ID") or request.GET.get("last_event_id")
    )
    start = opening(user, last_event_id)
    response = HttpResponse(
        RETRY + b"".join(start.frames), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache, no-store"
    return response
