from __future__ import annotations

import logging
import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from huddle.core import health

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers within a second (and SQLite's log is not
    running away), 503 otherwise, for load balancers and systemd (core.health)."""
    status, body = health.report()
    return JsonResponse(body, status=status)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff land in their inbox; while messaging is off, a page that says so."""
    user = request.user
    if getattr(user, "kind", None) == "client":
        return redirect("portal_inbox")
    practice = getattr(user, "practice", None)
    if practice is not None and practice.practice_messaging_enabled:
        return redirect("inbox")
    return render(request, "core/home.html")


def _error(request: HttpRequest, status: int, code: str, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    # A client sees the portal's header, never the staff one.
    client = getattr(request.user, "kind", None) == "client"
    context = {
        "title": title,
        "message": message,
        "base_template": "portal/base.html" if client else "core/base.html",
    }
    return render(request, "core/error.html", context, status=status)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "You may not open this page."
    return _error(request, 403, "forbidden", "Not allowed", message)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = "This page does not exist, or you may not see it."
    return _error(request, 404, "not_found", "Not found", message)


# How long a client waits before trying again when the database does not answer.
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_API = (
    "The database did not answer, so this request may or may not have been saved."
    " Send it again with the same Idempotency-Key (it is then stored only once),"
    " or look before sending it again without one."
)
UNAVAILABLE_PAGE = (
    "Huddle could not reach its database, so what you sent may or may not have been"
    " saved. Wait a few seconds, then go back and send it again: a message sent again"
    " from the same page is stored only once."
)


def _unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, built without reading the database (no user, no counts)."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        error = {"code": "unavailable", "message": UNAVAILABLE_API}
        response = JsonResponse({"error": error}, status=503)
    else:
        # Without the request: its context processors would ask the database for
        # the user and the unread counts again, each waiting out its timeout.
        page = render_to_string("core/unavailable.html", {"message": UNAVAILABLE_PAGE})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the cause is a database that did not answer (Django calls
    this inside its `except`, so the exception in hand is the cause)."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        logger.warning("the database did not answer: %s", request.path)
        return _unavailable(request)
    message = (
        "Something went wrong on our side, so what you sent may or may not have been saved."
        " Look before sending it again."
    )
    return _error(request, 500, "server_error", "Something went wrong", message)
