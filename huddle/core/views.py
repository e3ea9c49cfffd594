from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

logger = logging.getLogger(__name__)


def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.warning("healthz: the database did not answer")
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


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


def server_error(request: HttpRequest) -> HttpResponse:
    message = "Something went wrong on our side. Nothing you sent was lost; please try again."
    return _error(request, 500, "server_error", "Something went wrong", message)
